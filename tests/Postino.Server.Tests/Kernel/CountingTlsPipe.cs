using System.IO.Pipelines;

namespace Postino.Server.Tests.Kernel;

/// <summary>Stands in for a TLS layer: passes the pipes through and counts how often it is closed.</summary>
internal sealed class CountingTlsPipe(IDuplexPipe inner) : IDuplexPipe, IAsyncDisposable
{
    private int _disposals;

    public PipeReader Input => inner.Input;

    public PipeWriter Output => inner.Output;

    public int Disposals => Volatile.Read(ref _disposals);

    public ValueTask DisposeAsync()
    {
        Interlocked.Increment(ref _disposals);
        return ValueTask.CompletedTask;
    }
}
