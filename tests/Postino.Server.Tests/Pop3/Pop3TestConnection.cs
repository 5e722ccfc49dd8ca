using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Postino.Server.Pop3;

namespace Postino.Server.Tests.Pop3;

/// <summary>A client's end of an in-memory POP3 connection.</summary>
public sealed class Pop3TestConnection
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);
    private readonly Pipe _toServer;
    private readonly Pipe _toClient;
    private readonly CountingPipeWriter _output;

    public Pop3TestConnection(Pop3Session session, CancellationToken cancellationToken, PipeOptions? serverOutput = null)
    {
        Session = session;
        _toServer = new Pipe();
        _toClient = new Pipe(serverOutput ?? PipeOptions.Default);
        _output = new CountingPipeWriter(_toClient.Writer);
        Completion = RunAsync(cancellationToken);
    }

    public Pop3Session Session { get; }

    /// <summary>Ends when the session has ended.</summary>
    public Task Completion { get; }

    public PipeReader FromServer => _toClient.Reader;

    /// <summary>How many times the session flushed its output.</summary>
    public int FlushCount => _output.FlushCount;

    public async Task SendAsync(string text, int chunkSize = int.MaxValue) =>
        await SendAsync(Encoding.UTF8.GetBytes(text), chunkSize);

    public async Task SendAsync(byte[] bytes, int chunkSize = int.MaxValue)
    {
        for (var offset = 0; offset < bytes.Length; offset += chunkSize)
        {
            await _toServer.Writer.WriteAsync(bytes.AsMemory(offset, Math.Min(chunkSize, bytes.Length - offset)));
        }
    }

    /// <summary>The client closes its sending side (FIN).</summary>
    public void CloseInput() => _toServer.Writer.Complete();

    /// <summary>The client vanishes: it reads nothing more.</summary>
    public void Vanish()
    {
        _toClient.Reader.Complete();
        _toServer.Writer.Complete();
    }

    /// <summary>Reads one reply line (CRLF included).</summary>
    public async Task<string> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        while (true)
        {
            var read = await _toClient.Reader.ReadAsync(timeout.Token);
            var lf = read.Buffer.PositionOf((byte)'\n');
            if (lf is { } end)
            {
                var line = read.Buffer.Slice(0, read.Buffer.GetPosition(1, end));
                var text = Encoding.Latin1.GetString(line.ToArray());
                _toClient.Reader.AdvanceTo(line.End);
                return text;
            }

            _toClient.Reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            if (read.IsCompleted)
            {
                return Encoding.Latin1.GetString(read.Buffer.ToArray());
            }
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> octets, or fewer when the server closes first.</summary>
    public async Task<byte[]> ReadBytesAsync(long count)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        while (true)
        {
            var read = await _toClient.Reader.ReadAsync(timeout.Token);
            if (read.Buffer.Length >= count || read.IsCompleted)
            {
                var slice = read.Buffer.Slice(0, Math.Min(count, read.Buffer.Length));
                var bytes = slice.ToArray();
                _toClient.Reader.AdvanceTo(slice.End);
                return bytes;
            }

            _toClient.Reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>Everything the server sends until it closes.</summary>
    public async Task<byte[]> ReadToEndAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        while (true)
        {
            var read = await _toClient.Reader.ReadAsync(timeout.Token);
            if (read.IsCompleted)
            {
                var bytes = read.Buffer.ToArray();
                _toClient.Reader.AdvanceTo(read.Buffer.End);
                return bytes;
            }

            _toClient.Reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await Session.RunAsync(new DuplexPipe(_toServer.Reader, _output), cancellationToken);
        }
        finally
        {
            // What Kestrel does when the handler returns: close both directions.
            await _toServer.Reader.CompleteAsync();
            await _toClient.Writer.CompleteAsync();
        }
    }

    public sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
