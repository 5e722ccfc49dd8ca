using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Postino.Server.Hosting;

namespace Postino.Server.Tests.Hosting;

/// <summary>
/// The server's own accept loop (<see cref="ListenerHost"/>, over Postino's socket transport): where a connection
/// starts, and how a stop ends the connections still open.
/// </summary>
public sealed class ListenerHostTests
{
    [Fact]
    public async Task A_handler_marked_to_start_on_the_event_thread_starts_on_the_accepting_thread()
    {
        var (accepting, handler) = await AcceptOneAsync<MarkedHandler>();

        Assert.Equal(accepting, handler.ThreadId);
        Assert.False(handler.OnPoolThread);
    }

    [Fact]
    public async Task Any_other_handler_starts_on_a_pool_thread()
    {
        var (accepting, handler) = await AcceptOneAsync<UnmarkedHandler>();

        Assert.NotEqual(accepting, handler.ThreadId);
        Assert.True(handler.OnPoolThread);
    }

    [Fact]
    public async Task A_stop_cuts_what_is_still_open_after_the_grace_period()
    {
        var builder = new PostinoServerBuilder(new PostinoServerOptions { ShutdownGracePeriod = TimeSpan.FromMilliseconds(200) });
        var seen = new HandlerThread();
        builder.Services.AddSingleton(seen);
        builder.AddListener<HoldingHandler>("hold", "127.0.0.1:0");
        await using var server = builder.Build();
        await server.StartAsync();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, server.GetBoundPort("hold"));
        await seen.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(await seen.Ended.Task.WaitAsync(TimeSpan.FromSeconds(30)), "the connection was not cut");
        Assert.True(await EndsAsync(client), "the client's side stayed open");
    }

    [Fact]
    public async Task An_address_in_use_names_the_listener()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var builder = new PostinoServerBuilder();
        builder.Services.AddSingleton(new HandlerThread());
        builder.AddListener<UnmarkedHandler>("pop3s", taken.LocalEndPoint!);
        await using var server = builder.Build();

        var failure = await Assert.ThrowsAsync<ListenerBindException>(() => server.StartAsync());

        Assert.Equal("pop3s", failure.Listener);
        Assert.Equal(taken.LocalEndPoint, failure.EndPoint);
        Assert.Equal(SocketError.AddressAlreadyInUse, Assert.IsType<SocketException>(failure.GetBaseException()).SocketErrorCode);
    }

    /// <summary>True when the server's side closed (end of stream, or a reset: a cut connection may be either).</summary>
    private static async Task<bool> EndsAsync(TcpClient client)
    {
        try
        {
            return await client.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(30)) == 0;
        }
        catch (IOException exception) when (exception.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return true;
        }
    }

    /// <summary>Serves one connection handed over by a thread of the test's own, the way an event thread completes an accept.</summary>
    private static async Task<(int Accepting, HandlerThread Handler)> AcceptOneAsync<THandler>()
        where THandler : ConnectionHandler
    {
        var transport = new HandOverTransport();
        var seen = new HandlerThread();
        var builder = new PostinoServerBuilder();
        builder.Services.AddSingleton<IConnectionListenerFactory>(transport);
        builder.Services.AddSingleton(seen);
        builder.AddListener<THandler>("test", new IPEndPoint(IPAddress.Loopback, 0));
        await using var server = builder.Build();
        await server.StartAsync();

        var accepting = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            accepting.SetResult(Environment.CurrentManagedThreadId);
            transport.Listener.HandOver(new DefaultConnectionContext(
                "c1", new DuplexPipe(new Pipe().Reader, new Pipe().Writer), new DuplexPipe(new Pipe().Reader, new Pipe().Writer)));
        })
        { IsBackground = true };
        thread.Start();
        var id = await accepting.Task;
        await seen.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await server.StopAsync();
        return (id, seen);
    }

    private sealed class HandlerThread
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<bool> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int ThreadId { get; private set; }

        public bool OnPoolThread { get; private set; }

        public void Record()
        {
            ThreadId = Environment.CurrentManagedThreadId;
            OnPoolThread = Thread.CurrentThread.IsThreadPoolThread;
            Started.TrySetResult();
        }
    }

    private sealed class MarkedHandler(HandlerThread seen) : ConnectionHandler, IStartsOnEventThread
    {
        public override Task OnConnectedAsync(ConnectionContext connection)
        {
            seen.Record();
            return Task.CompletedTask;
        }
    }

    private sealed class UnmarkedHandler(HandlerThread seen) : ConnectionHandler
    {
        public override Task OnConnectedAsync(ConnectionContext connection)
        {
            seen.Record();
            return Task.CompletedTask;
        }
    }

    private sealed class HoldingHandler(HandlerThread seen) : ConnectionHandler
    {
        public override async Task OnConnectedAsync(ConnectionContext connection)
        {
            seen.Record();
            try
            {
                await Task.Delay(Timeout.Infinite, connection.ConnectionClosed);
            }
            catch (OperationCanceledException)
            {
                seen.Ended.TrySetResult(true);
            }
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>A transport whose one listener accepts what <see cref="HandOverListener.HandOver"/> is given.</summary>
    private sealed class HandOverTransport : IConnectionListenerFactory
    {
        public HandOverListener Listener { get; } = new();

        public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IConnectionListener>(Listener);
    }

    private sealed class HandOverListener : IConnectionListener
    {
        private readonly Lock _gate = new();
        private TaskCompletionSource<ConnectionContext?> _next = new();

        public EndPoint EndPoint { get; } = new IPEndPoint(IPAddress.Loopback, 1);

        /// <summary>Completes the pending accept on the calling thread (no RunContinuationsAsynchronously).</summary>
        public void HandOver(ConnectionContext connection)
        {
            TaskCompletionSource<ConnectionContext?> pending;
            lock (_gate)
            {
                pending = _next;
                _next = new();
            }

            pending.SetResult(connection);
        }

        public ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                return new ValueTask<ConnectionContext?>(_next.Task);
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                _next.TrySetResult(null);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => UnbindAsync();
    }
}
