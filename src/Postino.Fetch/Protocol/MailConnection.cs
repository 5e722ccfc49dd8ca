using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Postino.Protocols.Text;

namespace Postino.Fetch.Protocol;

/// <summary>
/// One client connection to a line-based mail server: reply lines, dot-stuffed data (POP3) and counted data (POP2),
/// written straight to a destination stream as it arrives. Any I/O failure, end of stream, over-long line or timeout
/// closes it and surfaces as <see cref="MailProtocolException"/>; after that every call fails the same way.
/// </summary>
public sealed class MailConnection : IAsyncDisposable
{
    /// <summary>Longest reply line accepted, CRLF included; generous, since UIDL and CAPA lines vary by server.</summary>
    public const int MaxReplyLineLength = 8192;

    private LineReader _lineReader = new(MaxReplyLineLength);
    private readonly IProtocolTrace? _trace;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;
    private Stream _stream;
    private PipeReader _reader;
    private bool _broken;
    private CancellationTokenSource? _idleTimeout;

    public MailConnection(Stream stream, MailConnectionOptions? options = null)
    {
        options ??= new MailConnectionOptions();
        _stream = stream;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        _trace = options.Trace;
        _timeout = options.Timeout;
        _timeProvider = options.TimeProvider;
    }

    /// <summary>False once the connection failed or was closed.</summary>
    public bool IsConnected => !_broken;

    /// <summary>The stream currently carrying the conversation (an <see cref="System.Net.Security.SslStream"/> after TLS).</summary>
    public Stream Stream => _stream;

    /// <summary>Reads one reply line, without its line end.</summary>
    public async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = await GuardAsync(ReadLineCoreAsync, cancellationToken);
        _trace?.ServerLine(line);
        return line;
    }

    /// <summary>Sends one command line; <paramref name="traceText"/> replaces it in the trace when it holds a secret.</summary>
    public Task WriteLineAsync(string line, string? traceText, CancellationToken cancellationToken)
    {
        _trace?.ClientLine(traceText ?? line);
        var bytes = Encoding.UTF8.GetBytes(line + "\r\n");
        return GuardAsync(async ct =>
        {
            await _stream.WriteAsync(bytes, ct);
            await _stream.FlushAsync(ct);
            return 0;
        }, cancellationToken);
    }

    /// <summary>Sends several command lines in one write (POP3 PIPELINING); the trace sees each one.</summary>
    public Task WriteLinesAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        var builder = new StringBuilder();
        foreach (var line in lines)
        {
            _trace?.ClientLine(line);
            builder.Append(line).Append("\r\n");
        }

        var bytes = Encoding.UTF8.GetBytes(builder.ToString());
        return GuardAsync(async ct =>
        {
            await _stream.WriteAsync(bytes, ct);
            await _stream.FlushAsync(ct);
            return 0;
        }, cancellationToken);
    }

    /// <summary>
    /// Copies dot-stuffed data up to its terminating <c>.</c> line into <paramref name="destination"/>, unstuffed.
    /// Returns the octets written.
    /// </summary>
    public Task<long> ReadDotDataAsync(Stream destination, CancellationToken cancellationToken) =>
        ReadDotDataAsync(destination, long.MaxValue, cancellationToken);

    /// <summary>
    /// Like <see cref="ReadDotDataAsync(Stream, CancellationToken)"/>, but at most <paramref name="maxOctets"/> unstuffed
    /// octets: beyond them nothing more is written, the connection is closed and
    /// <see cref="MailDataOverrunException"/> is thrown, so an endless reply costs a bounded amount of disk and time.
    /// </summary>
    public async Task<long> ReadDotDataAsync(Stream destination, long maxOctets, CancellationToken cancellationToken)
    {
        var written = await GuardAsync(ct => ReadDotDataCoreAsync(destination, maxOctets, ct), cancellationToken);
        _trace?.ServerLine($"<{written} octets>");
        return written;
    }

    /// <summary>Copies exactly <paramref name="count"/> octets into <paramref name="destination"/> (POP2 RETR).</summary>
    public async Task ReadExactAsync(Stream destination, long count, CancellationToken cancellationToken)
    {
        await GuardAsync(ct => ReadExactCoreAsync(destination, count, ct), cancellationToken);
        _trace?.ServerLine($"<{count} octets>");
    }

    /// <summary>
    /// Runs CPU-bound work for the conversation (SCRAM's key derivation) under the same deadline as a reply: past
    /// <see cref="MailConnectionOptions.Timeout"/>, or when <paramref name="cancellationToken"/> fires (SIGTERM),
    /// <paramref name="work"/> sees its token cancelled; a timeout closes the connection as
    /// <see cref="MailProtocolException"/>.
    /// </summary>
    public Task<T> ComputeAsync<T>(Func<CancellationToken, T> work, CancellationToken cancellationToken) =>
        GuardAsync(ct => Task.FromResult(work(ct)), cancellationToken);

    /// <summary>
    /// Replaces the transport, e.g. with TLS after STLS. Whatever the server sent after the reply that allowed the
    /// upgrade is thrown away unread, so plaintext injected before the handshake can never be taken as a TLS reply.
    /// </summary>
    public async Task UpgradeAsync(Func<Stream, CancellationToken, Task<Stream>> upgrade, CancellationToken cancellationToken)
    {
        await _reader.CompleteAsync();
        _lineReader = new LineReader(MaxReplyLineLength);
        var upgraded = await GuardAsync(ct => upgrade(_stream, ct), cancellationToken);
        _stream = upgraded;
        _reader = PipeReader.Create(upgraded, new StreamPipeReaderOptions(leaveOpen: true));
    }

    public async ValueTask DisposeAsync()
    {
        _broken = true;
        await _reader.CompleteAsync();
        await _stream.DisposeAsync();
    }

    private async Task<string> ReadLineCoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var status = _lineReader.TryReadLine(ref buffer, out var line);
            if (status == LineReadStatus.Line)
            {
                var text = Encoding.UTF8.GetString(line);
                _reader.AdvanceTo(buffer.Start);
                return text;
            }

            if (status == LineReadStatus.TooLong)
            {
                throw new MailProtocolException($"The server sent a reply line longer than {MaxReplyLineLength} octets.");
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new MailProtocolException("The server closed the connection.");
            }
        }
    }

    private async Task<long> ReadDotDataCoreAsync(Stream destination, long maxOctets, CancellationToken cancellationToken)
    {
        var unstuffer = new DotUnstuffer();
        var output = new ArrayBufferWriter<byte>(16 * 1024);
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            RearmTimeout();
            var buffer = result.Buffer;
            var done = unstuffer.Decode(ref buffer, output);
            _reader.AdvanceTo(buffer.Start, done ? buffer.Start : buffer.End);
            if (unstuffer.Written > maxOctets)
            {
                throw new MailDataOverrunException($"The server sent more than {maxOctets} octets for one reply.");
            }

            if (output.WrittenCount > 0)
            {
                await destination.WriteAsync(output.WrittenMemory, cancellationToken);
                output.ResetWrittenCount();
            }

            if (done)
            {
                return unstuffer.Written;
            }

            if (result.IsCompleted)
            {
                throw new MailProtocolException("The server closed the connection in the middle of a message.");
            }
        }
    }

    private async Task<int> ReadExactCoreAsync(Stream destination, long count, CancellationToken cancellationToken)
    {
        var remaining = count;
        while (remaining > 0)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            RearmTimeout();
            var buffer = result.Buffer;
            var take = buffer.Slice(0, Math.Min(remaining, buffer.Length));
            foreach (var segment in take)
            {
                await destination.WriteAsync(segment, cancellationToken);
            }

            remaining -= take.Length;
            _reader.AdvanceTo(take.End);
            if (remaining > 0 && result.IsCompleted)
            {
                throw new MailProtocolException($"The server closed the connection {remaining} octets before the end of a message.");
            }
        }

        return 0;
    }

    private async Task<T> GuardAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        if (_broken)
        {
            throw new MailProtocolException("The connection is closed.");
        }

        using var timeout = new CancellationTokenSource(_timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        _idleTimeout = timeout;
        try
        {
            return await operation(linked.Token);
        }
        catch (MailProtocolException)
        {
            await BreakAsync();
            throw;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await BreakAsync();
            throw new MailProtocolException($"The server did not answer within {_timeout.TotalSeconds:0} s.");
        }
        catch (OperationCanceledException)
        {
            // A command cut off halfway leaves the conversation out of step: the connection cannot be reused.
            await BreakAsync();
            throw;
        }
        catch (System.Security.Authentication.AuthenticationException exception)
        {
            await BreakAsync();
            throw new MailTlsException($"TLS handshake failed: {exception.Message}", exception);
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            await BreakAsync();
            throw new MailProtocolException($"Connection failed: {exception.Message}", exception);
        }
        finally
        {
            _idleTimeout = null;
        }
    }

    /// <summary>The timeout is for silence, not for a whole transfer: every chunk of a long message restarts it.</summary>
    private void RearmTimeout() => _idleTimeout?.CancelAfter(_timeout);

    private async Task BreakAsync()
    {
        if (_broken)
        {
            return;
        }

        _broken = true;
        await _reader.CompleteAsync();
        await _stream.DisposeAsync();
    }
}
