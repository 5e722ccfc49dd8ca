using System.Buffers;
using System.IO.Pipelines;

namespace Postino.Server.Tls;

/// <summary>
/// A Stream over a connection's pipes, so SslStream can run on a Kestrel transport. <paramref name="beforeFirstWrite"/>
/// runs once, just before the first write goes to the pipe: for a server handshake that is the server's first flight,
/// when the SSL object exists and the client's Finished (after which OpenSSL sends its tickets) is not read yet.
/// </summary>
internal sealed class DuplexPipeStream(PipeReader input, PipeWriter output, Action? beforeFirstWrite = null) : Stream
{
    private Action? _beforeFirstWrite = beforeFirstWrite;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var source = result.Buffer;
            if (!source.IsEmpty)
            {
                var count = (int)Math.Min(source.Length, buffer.Length);
                var taken = source.Slice(0, count);
                taken.CopyTo(buffer.Span);
                input.AdvanceTo(taken.End);
                return count;
            }

            input.AdvanceTo(source.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return 0;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_beforeFirstWrite is { } first)
        {
            _beforeFirstWrite = null;
            first();
        }

        await output.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async Task FlushAsync(CancellationToken cancellationToken) => await output.FlushAsync(cancellationToken);

    // The server is async end to end; a synchronous call here would be a bug worth seeing.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Use ReadAsync.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Use WriteAsync.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
