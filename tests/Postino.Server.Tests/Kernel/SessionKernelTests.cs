using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Postino.Server.Sessions;
using Postino.Server.Tests.Pop3;

namespace Postino.Server.Tests.Kernel;

/// <summary>The kernel on its own, under a minimal line protocol: the loop, the upgrade path and the close.</summary>
public sealed class SessionKernelTests
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();

    private IDuplexPipe Connection => new Pop3TestConnection.DuplexPipe(_toServer.Reader, _toClient.Writer);

    [Fact]
    public async Task Plaintext_pipelined_after_an_upgrade_request_is_discarded_and_never_handled()
    {
        var kernel = NewKernel();
        var tls = new CountingTlsPipe(Connection);
        var protocol = new EchoProtocol(kernel) { Upgrade = (_, _) => ValueTask.FromResult<IDuplexPipe>(tls) };

        // EVIL comes in the same packet as UPG; LATE arrives while UPG is being handled, before the go-ahead is sent.
        protocol.WhileUpgradeRequested = async () => await _toServer.Writer.WriteAsync("LATE\r\n"u8.ToArray());
        await SendAsync("UPG\r\nEVIL\r\n");
        var run = kernel.RunAsync(protocol, default);

        Assert.Equal("+OK go\r\n", await ReadLineAsync());
        await SendAsync("AFTER\r\nBYE\r\n");

        Assert.Equal(SessionStop.Closed, await run);
        Assert.Equal(["UPG", "AFTER", "BYE"], protocol.Lines);
        Assert.Equal(1, protocol.Upgrades);
        Assert.Same(tls, kernel.Transport);
        Assert.Equal("+AFTER\r\n+BYE\r\n", await ReadLineAsync() + await ReadLineAsync());
    }

    [Fact]
    public async Task The_kernel_owns_the_tls_layer_and_closes_it_exactly_once()
    {
        var kernel = NewKernel();
        var tls = new CountingTlsPipe(Connection);
        var protocol = new EchoProtocol(kernel) { Upgrade = (_, _) => ValueTask.FromResult<IDuplexPipe>(tls) };
        await SendAsync("UPG\r\n");
        var run = kernel.RunAsync(protocol, default);
        await ReadLineAsync();
        await SendAsync("BYE\r\n");
        await run;
        Assert.Equal(0, tls.Disposals);

        await kernel.DisposeAsync();
        await kernel.DisposeAsync();

        Assert.Equal(1, tls.Disposals);
    }

    [Fact]
    public async Task The_connection_itself_is_never_closed_by_the_kernel()
    {
        var connection = new CountingTlsPipe(Connection);
        var kernel = new SessionKernel(connection, new FakeTimeProvider(), new SessionLimits(), default);
        var protocol = new EchoProtocol(kernel) { Upgrade = (transport, _) => ValueTask.FromResult(transport) };
        await SendAsync("UPG\r\n");
        var run = kernel.RunAsync(protocol, default);
        await ReadLineAsync();
        await SendAsync("BYE\r\n");
        await run;

        await kernel.DisposeAsync();

        Assert.Equal(0, connection.Disposals);
    }

    [Fact]
    public async Task A_failed_handshake_ends_the_loop_with_its_reason_after_the_go_ahead_was_sent()
    {
        var kernel = NewKernel();
        var failure = new IOException("handshake failed");
        var protocol = new EchoProtocol(kernel) { Upgrade = (_, _) => throw failure };
        await SendAsync("UPG\r\n");

        Assert.Equal(SessionStop.UpgradeFailed, await kernel.RunAsync(protocol, default));
        Assert.Same(failure, kernel.UpgradeFailure);
        Assert.Equal(0, protocol.Upgrades);
        Assert.Equal("+OK go\r\n", await ReadLineAsync());
    }

    [Fact]
    public void The_transport_is_upgraded_once_only()
    {
        var kernel = NewKernel();
        kernel.RequestUpgrade((t, _) => ValueTask.FromResult(t));

        Assert.Throws<InvalidOperationException>(() => kernel.RequestUpgrade((t, _) => ValueTask.FromResult(t)));
    }

    [Fact]
    public async Task Close_flushes_the_last_reply_and_reads_nothing_after_it()
    {
        var kernel = NewKernel();
        var protocol = new EchoProtocol(kernel);
        await SendAsync("ONE\r\nBYE\r\nTWO\r\n");

        Assert.Equal(SessionStop.Closed, await kernel.RunAsync(protocol, default));
        Assert.Equal(["ONE", "BYE"], protocol.Lines);
        Assert.Equal("+ONE\r\n+BYE\r\n", await ReadLineAsync() + await ReadLineAsync());
    }

    [Fact]
    public async Task A_client_that_closes_its_side_ends_the_loop_after_its_last_whole_line()
    {
        var kernel = NewKernel();
        var protocol = new EchoProtocol(kernel);
        await SendAsync("ONE\r\nTW");
        await _toServer.Writer.CompleteAsync();

        Assert.Equal(SessionStop.EndOfInput, await kernel.RunAsync(protocol, default));
        Assert.Equal(["ONE"], protocol.Lines);
    }

    [Fact]
    public async Task A_protocol_that_flushes_after_each_batch_is_flushed_by_the_kernel()
    {
        var kernel = NewKernel();
        var protocol = new EchoProtocol(kernel) { FlushesWhileWaiting = false };
        var run = kernel.RunAsync(protocol, default);
        await SendAsync("ONE\r\n");

        Assert.Equal("+ONE\r\n", await ReadLineAsync());
        Assert.True(protocol.Flushes > 0);
        await SendAsync("BYE\r\n");
        await run;
    }

    [Fact]
    public async Task A_server_stop_while_waiting_for_a_command_ends_the_loop_at_its_deadline()
    {
        using var stopping = new CancellationTokenSource();
        var kernel = new SessionKernel(Connection, new FakeTimeProvider(), new SessionLimits(), stopping.Token);
        var protocol = new EchoProtocol(kernel);
        await SendAsync("ONE\r\n");
        var run = kernel.RunAsync(protocol, default);
        Assert.Equal("+ONE\r\n", await ReadLineAsync());

        await stopping.CancelAsync();

        Assert.Equal(SessionStop.Deadline, await run);
        Assert.Equal(SessionDeadline.Shutdown, kernel.Expired);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_batch_leaves_the_event_thread_unless_the_protocol_handles_it_there(bool handlesOnEventThread)
    {
        // The input is there when the loop starts, so the loop reads it on the thread that starts it: a thread the pool
        // does not own, as a socket's event thread.
        await SendAsync("ONE\r\nBYE\r\n");
        var kernel = NewKernel();
        var protocol = new EchoProtocol(kernel) { HandlesOnEventThread = handlesOnEventThread };
        Task<SessionStop>? run = null;
        var eventThread = new Thread(() => run = kernel.RunAsync(protocol, default)) { IsBackground = true };
        eventThread.Start();
        eventThread.Join();

        Assert.Equal(SessionStop.Closed, await run!);
        var (thread, onPool) = Assert.Single(protocol.HandledOn);
        if (handlesOnEventThread)
        {
            Assert.Equal(eventThread.ManagedThreadId, thread);
        }
        else
        {
            Assert.True(onPool);
        }

        Assert.Equal("+ONE\r\n", await ReadLineAsync());
    }

    private SessionKernel NewKernel() => new(Connection, new FakeTimeProvider(), new SessionLimits(), default);

    private async Task SendAsync(string text) => await _toServer.Writer.WriteAsync(Encoding.ASCII.GetBytes(text));

    private async Task<string> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var read = await _toClient.Reader.ReadAsync(timeout.Token);
            if (read.Buffer.PositionOf((byte)'\n') is { } lf)
            {
                var line = read.Buffer.Slice(0, read.Buffer.GetPosition(1, lf));
                var text = Encoding.ASCII.GetString(line.ToArray());
                _toClient.Reader.AdvanceTo(line.End);
                return text;
            }

            _toClient.Reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            if (read.IsCompleted)
            {
                return Encoding.ASCII.GetString(read.Buffer.ToArray());
            }
        }
    }

    /// <summary>Answers "+line" to each line; UPG asks for the upgrade, BYE closes.</summary>
    private sealed class EchoProtocol(SessionKernel kernel) : ILineSessionProtocol
    {
        public List<string> Lines { get; } = [];

        public Func<IDuplexPipe, CancellationToken, ValueTask<IDuplexPipe>>? Upgrade { get; init; }

        public Func<Task>? WhileUpgradeRequested { get; set; }

        public int Upgrades { get; private set; }

        public int Flushes { get; private set; }

        public TimeSpan IdleTimeout => Timeout.InfiniteTimeSpan;

        public bool FlushesWhileWaiting { get; init; } = true;

        public bool HandlesOnEventThread { get; init; }

        /// <summary>Each batch's thread, and whether the pool owns it.</summary>
        public List<(int Thread, bool OnPool)> HandledOn { get; } = [];

        public async ValueTask<SessionBatch> HandleAsync(ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            HandledOn.Add((Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread));
            var batch = Handle(buffer);
            if (kernel.UpgradePending && WhileUpgradeRequested is { } arrives)
            {
                await arrives();
            }

            return batch;
        }

        public async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            await kernel.Output.FlushAsync(cancellationToken);
        }

        public void Upgraded() => Upgrades++;

        private SessionBatch Handle(ReadOnlySequence<byte> buffer)
        {
            var reader = new SequenceReader<byte>(buffer);
            while (!kernel.UpgradePending && reader.TryReadTo(out ReadOnlySequence<byte> line, "\r\n"u8))
            {
                var text = Encoding.ASCII.GetString(line.ToArray());
                Lines.Add(text);
                if (text == "UPG")
                {
                    Write("+OK go");
                    kernel.RequestUpgrade(Upgrade!);
                    continue;
                }

                Write("+" + text);
                if (text == "BYE")
                {
                    return new SessionBatch(reader.Position, SessionStep.Close);
                }
            }

            return new SessionBatch(reader.Position, SessionStep.Continue);
        }

        private void Write(string line) => kernel.Output.Write(Encoding.ASCII.GetBytes(line + "\r\n"));
    }
}
