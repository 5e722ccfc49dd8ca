using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Postino.Protocols.Text;

namespace Postino.Bench;

/// <summary>
/// A deliberately thin POP3 client for load generation: plain TCP, USER/PASS, and multi-line replies read with the
/// same dot-unstuffer the server's tests use, so the generator itself costs little.
/// </summary>
internal sealed class Pop3BenchClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly PipeReader _reader;
    private readonly Stream _stream;
    private readonly LineReader _lines = new(8192);

    private Pop3BenchClient(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
        _reader = PipeReader.Create(_stream);
    }

    /// <param name="tls">implicit TLS (POP3S); the server's certificate is not checked (a benchmark on loopback).</param>
    public static async Task<Pop3BenchClient> ConnectAsync(string host, int port, CancellationToken cancellationToken, bool tls = false)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(host, port, cancellationToken);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (tls)
        {
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = "localhost", EnabledSslProtocols = SslProtocols.Tls13 },
                cancellationToken);
            stream = ssl;
        }

        var client = new Pop3BenchClient(socket, stream);
        await client.ExpectOkAsync(cancellationToken);
        return client;
    }

    public async Task<string> CommandAsync(string command, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\r\n"), cancellationToken);
        return await ExpectOkAsync(cancellationToken);
    }

    /// <summary>
    /// Sends a command with a multi-line reply and returns the number of its octets on the wire (terminator excluded).
    /// Only the terminator is looked for, with a vectorised search over whole segments: a generator that unstuffed
    /// line by line cost more CPU per MB than the servers it measured, and a slow reader throttles the server's writes.
    /// </summary>
    public async Task<long> MultiLineAsync(string command, CancellationToken cancellationToken)
    {
        await CommandAsync(command, cancellationToken);
        long count = 0;
        var first = true;
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (first)
            {
                if (buffer.Length < 3 && !result.IsCompleted)
                {
                    _reader.AdvanceTo(buffer.Start, buffer.End);
                    continue;
                }

                first = false;
                if (StartsWithDotLine(buffer))
                {
                    _reader.AdvanceTo(buffer.GetPosition(3));
                    return 0;
                }
            }

            var end = FindTerminator(buffer);
            if (end >= 0)
            {
                count += end + 2;
                _reader.AdvanceTo(buffer.GetPosition(end + Terminator.Length));
                return count;
            }

            // Keep the last 4 octets: the terminator may begin there.
            var keep = Math.Min(Terminator.Length - 1, buffer.Length);
            count += buffer.Length - keep;
            _reader.AdvanceTo(buffer.GetPosition(buffer.Length - keep), buffer.End);
            if (result.IsCompleted)
            {
                throw new IOException("connection closed inside a multi-line reply");
            }
        }
    }

    private static ReadOnlySpan<byte> Terminator => "\r\n.\r\n"u8;

    private static bool StartsWithDotLine(ReadOnlySequence<byte> buffer)
    {
        Span<byte> head = stackalloc byte[3];
        buffer.Slice(0, 3).CopyTo(head);
        return head.SequenceEqual(".\r\n"u8);
    }

    /// <summary>The offset of "CRLF.CRLF" in the buffer, or -1; segment by segment, and across each boundary.</summary>
    private static long FindTerminator(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsSingleSegment)
        {
            return buffer.FirstSpan.IndexOf(Terminator);
        }

        long offset = 0;
        Span<byte> seam = stackalloc byte[2 * (Terminator.Length - 1)];
        ReadOnlySpan<byte> previous = default;
        foreach (var segment in buffer)
        {
            var span = segment.Span;
            if (!previous.IsEmpty)
            {
                var tail = previous[^Math.Min(previous.Length, Terminator.Length - 1)..];
                var headLength = Math.Min(span.Length, Terminator.Length - 1);
                tail.CopyTo(seam);
                span[..headLength].CopyTo(seam[tail.Length..]);
                var across = seam[..(tail.Length + headLength)].IndexOf(Terminator);
                if (across >= 0)
                {
                    return offset - tail.Length + across;
                }
            }

            var found = span.IndexOf(Terminator);
            if (found >= 0)
            {
                return offset + found;
            }

            offset += span.Length;
            previous = span;
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        await _stream.DisposeAsync();
        _socket.Dispose();
    }

    private async Task<string> ExpectOkAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var status = _lines.TryReadLine(ref buffer, out var line);
            var text = status == LineReadStatus.Line ? Encoding.UTF8.GetString(line.ToArray()) : null;
            if (text is null)
            {
                _reader.AdvanceTo(buffer.Start, buffer.End);
            }
            else
            {
                // Only consumed: a pipelined multi-line body may already be in the buffer.
                _reader.AdvanceTo(buffer.Start);
            }

            if (text is not null)
            {
                return text.StartsWith("+OK", StringComparison.Ordinal)
                    ? text
                    : throw new IOException("server said: " + text);
            }

            if (result.IsCompleted)
            {
                throw new IOException("connection closed before a reply");
            }
        }
    }
}
