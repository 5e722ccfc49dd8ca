using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Postino.Storage.Threading;

namespace Postino.Server.Hosting;

/// <summary>
/// Runs the listeners of a <see cref="PostinoServer"/> on a connection transport (<see cref="Sockets.SocketTransport"/>),
/// without Kestrel's server: binds
/// each end point, accepts, and starts each connection's pipeline on the thread that accepted it. Kestrel's server
/// hands every accepted connection to the thread pool first; with the sockets' inline completions that hop woke a pool
/// thread for every POP3S session only to start a handshake whose input arrives on the event thread anyway
/// (docs/architecture.md, "Threads"). A handler that has not said its start never blocks
/// (<see cref="IStartsOnEventThread"/>) still starts on the pool, as before.
/// Stopping unbinds every listener, lets the connections run until the host's shutdown timeout (the grace period),
/// then aborts the rest and waits for them to end.
/// </summary>
internal sealed class ListenerHost(
    IReadOnlyList<PostinoListener> listeners,
    IConnectionListenerFactory transport,
    IServiceProvider services,
    ILogger<ListenerHost> logger) : IHostedService, IAsyncDisposable
{
    private readonly List<IConnectionListener> _bound = [];
    private readonly List<Task> _accepting = [];
    private readonly ConcurrentDictionary<ConnectionContext, Task> _connections = new();

    /// <summary>How long a stop waits for cut connections to end (their sessions unwind, nothing is committed).</summary>
    private static readonly TimeSpan AbortWait = TimeSpan.FromSeconds(5);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var listener in listeners)
            {
                var builder = new ConnectionBuilder(services);
                listener.Apply(builder);
                var pipeline = builder.Build();
                var bound = await BindAsync(listener, cancellationToken);
                _bound.Add(bound);
                listener.Bound(bound.EndPoint);
                _accepting.Add(AcceptAsync(bound, pipeline, listener.StartsOnEventThread));
            }
        }
        catch
        {
            await UnbindAsync();
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await UnbindAsync();
        try
        {
            await Task.WhenAll(_connections.Values.ToArray()).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The grace period is over: what is still open is cut, and commits nothing.
            foreach (var connection in _connections.Keys)
            {
                connection.Abort(new ConnectionAbortedException("the server is stopping"));
            }

            try
            {
                await Task.WhenAll(_connections.Values.ToArray()).WaitAsync(AbortWait);
            }
            catch (TimeoutException)
            {
                logger.LogWarning("{Count} connections did not end within {Wait} of being cut", _connections.Count, AbortWait);
            }
        }
    }

    /// <summary>Stops at once if nobody did (connections cut), and releases the listening sockets.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(new CancellationToken(canceled: true));
        foreach (var bound in _bound)
        {
            await bound.DisposeAsync();
        }

        _bound.Clear();
    }

    private async Task<IConnectionListener> BindAsync(PostinoListener listener, CancellationToken cancellationToken)
    {
        try
        {
            return await transport.BindAsync(listener.EndPoint, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new ListenerBindException(listener.Name, listener.EndPoint, exception);
        }
    }

    private async Task UnbindAsync()
    {
        foreach (var bound in _bound)
        {
            await bound.UnbindAsync();
        }

        await Task.WhenAll(_accepting);
    }

    private async Task AcceptAsync(IConnectionListener listener, ConnectionDelegate pipeline, bool onAcceptingThread)
    {
        while (true)
        {
            ConnectionContext? connection;
            try
            {
                connection = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
            catch (Exception exception)
            {
                // The transport retries what a client can cause (a reset in the backlog); this is the system's.
                logger.LogCritical(exception, "listener {EndPoint} stopped accepting connections", listener.EndPoint);
                return;
            }

            if (connection is null)
            {
                return;
            }

            // Registered before it runs, so that a stop that begins now waits for it too.
            var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _connections[connection] = ended.Task;
            _ = RunAsync(connection, pipeline, onAcceptingThread, ended);
        }
    }

    private async Task RunAsync(ConnectionContext connection, ConnectionDelegate pipeline, bool onAcceptingThread, TaskCompletionSource ended)
    {
        try
        {
            if (!onAcceptingThread)
            {
                await OffEventLoop.Yield();
            }

            await pipeline(connection).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "connection {ConnectionId} failed", connection.ConnectionId);
        }
        finally
        {
            try
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                logger.LogDebug(exception, "connection {ConnectionId}: closing failed", connection.ConnectionId);
            }

            _connections.TryRemove(connection, out _);
            ended.TrySetResult();
        }
    }
}
