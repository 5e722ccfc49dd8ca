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

    /// <summary>Sends a command with a multi-line reply and returns the number of data octets after unstuffing.</summary>
    public async Task<long> MultiLineAsync(string command, CancellationToken cancellationToken)
    {
        await CommandAsync(command, cancellationToken);
        var unstuffer = new DotUnstuffer();
        var sink = new CountingBufferWriter();
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var done = unstuffer.Decode(ref buffer, sink);
            if (done)
            {
                // Only consumed, not examined: what follows the terminator is the next reply, already buffered.
                _reader.AdvanceTo(buffer.Start);
                return sink.Count;
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);

            if (result.IsCompleted)
            {
                throw new IOException("connection closed inside a multi-line reply");
            }
        }
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
