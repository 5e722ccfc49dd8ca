using System.IO.Pipelines;

namespace Postino.Server.Tests.Pop3;

/// <summary>A pipe writer that counts flushes (one per batch of pipelined commands).</summary>
public sealed class CountingPipeWriter(PipeWriter inner) : PipeWriter
{
    private int _flushCount;

    public int FlushCount => Volatile.Read(ref _flushCount);

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;

    public override void Advance(int bytes) => inner.Advance(bytes);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _flushCount);
        return inner.FlushAsync(cancellationToken);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
}
