using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Postino.Server.Hosting;

/// <summary>
/// The running server: every listener of every protocol. <see cref="StopAsync"/> stops accepting, lets sessions run
/// for <see cref="PostinoServerOptions.ShutdownGracePeriod"/>, then closes the rest (which commit nothing).
/// </summary>
public sealed class PostinoServer : IAsyncDisposable
{
    private readonly IHost _app;

    internal PostinoServer(IHost app, IReadOnlyList<PostinoListener> listeners)
    {
        _app = app;
        Listeners = listeners;
    }

    public IServiceProvider Services => _app.Services;

    public IReadOnlyList<PostinoListener> Listeners { get; }

    /// <summary>Fires when a stop begins (SIGINT/SIGTERM through the host lifetime, or <see cref="StopAsync"/>).</summary>
    public CancellationToken Stopping => Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;

    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    /// <summary>Graceful stop; cancelling <paramref name="cancellationToken"/> cuts the grace period short.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>Starts, then runs until <paramref name="cancellationToken"/> fires or the host is told to stop, then stops gracefully.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(() => stopping.TrySetResult()))
        using (Stopping.Register(() => stopping.TrySetResult()))
        {
            await stopping.Task;
        }

        await StopAsync(CancellationToken.None);
    }

    /// <summary>The listener of that name.</summary>
    public PostinoListener GetListener(string name) =>
        Listeners.FirstOrDefault(l => l.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"no listener named {name}", nameof(name));

    /// <summary>The end point a listener is bound to (the real port when 0 was configured); valid after start.</summary>
    public EndPoint GetBoundEndPoint(string name) =>
        GetListener(name).BoundEndPoint ?? throw new InvalidOperationException("the server has not started");

    /// <summary>The TCP port a listener is bound to; valid after start.</summary>
    public int GetBoundPort(string name) =>
        GetBoundEndPoint(name) is IPEndPoint ip ? ip.Port : throw new InvalidOperationException($"listener {name} is not on TCP");

    public async ValueTask DisposeAsync()
    {
        if (_app is IAsyncDisposable asynchronous)
        {
            await asynchronous.DisposeAsync();
        }
        else
        {
            _app.Dispose();
        }
    }
}
