using Microsoft.Extensions.Hosting;

namespace Postino.Server.Tests.Fakes;

/// <summary>An application lifetime whose graceful stop (SIGTERM) a test triggers with <see cref="StopApplication"/>.</summary>
public sealed class FakeLifetime : IHostApplicationLifetime, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    public CancellationToken ApplicationStarted => CancellationToken.None;

    public CancellationToken ApplicationStopping => _stopping.Token;

    public CancellationToken ApplicationStopped => CancellationToken.None;

    public void StopApplication() => _stopping.Cancel();

    public void Dispose() => _stopping.Dispose();
}
