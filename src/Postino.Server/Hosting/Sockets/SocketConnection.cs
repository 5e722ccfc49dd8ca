using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Postino.Server.Hosting.Sockets;

/// <summary>
/// An accepted socket as a <see cref="ConnectionContext"/>: a receive loop fills <see cref="Transport"/>'s input, a send
/// loop drains its output, both run where the socket completes them, with no thread-pool hand-over anywhere in a
/// connection's life when nothing blocks. Kestrel's socket transport, which Postino used before, hands every closing
/// connection to the pool (its "connection closed" callback), which cost each POP3S session a pool wake-up and an idle
/// worker's spinning (bench/README.md, eleventh pass).
/// Closing is graceful and in order: the send loop sends what the session wrote, then shuts the socket down both ways;
/// the receive loop, woken by that shutdown, ends; only then is the socket closed, so no receive is ever cancelled
/// under it (a cancelled receive completes on the pool too).
/// </summary>
internal sealed class SocketConnection : ConnectionContext
{
    private const int MinimumReceiveBuffer = 2048;

    private readonly Socket _socket;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly SocketOperation _receiver = new();
    private readonly SocketOperation _sender = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly Lock _shutdownGate = new();
    private readonly Task _receiving;
    private readonly Task _sending;
    private IFeatureCollection? _features;
    private IDictionary<object, object?>? _items;
    private string? _connectionId;
    private EndPoint? _localEndPoint;
    private bool _localEndPointRead;
    private volatile Exception? _shutdownReason;
    private volatile bool _shutDown;
    private volatile bool _applicationDone;

    private SocketConnection(Socket socket, SocketConnectionOptions options)
    {
        _socket = socket;
        RemoteEndPoint = socket.RemoteEndPoint;
        _input = InlinePipe(options.MaxReadBufferSize);
        _output = InlinePipe(options.MaxWriteBufferSize);
        Transport = new DuplexPipe(_input.Reader, _output.Writer);
        ConnectionClosed = _closed.Token;
        _receiving = ReceiveAsync();
        _sending = SendAsync();
    }

    public override IDuplexPipe Transport { get; set; }

    public override string ConnectionId
    {
        get => _connectionId ??= ConnectionIds.Next();
        set => _connectionId = value;
    }

    public override IFeatureCollection Features => _features ??= new FeatureCollection();

    public override IDictionary<object, object?> Items
    {
        get => _items ??= new Dictionary<object, object?>();
        set => _items = value;
    }

    public override EndPoint? LocalEndPoint
    {
        // Read on demand: getsockname is a system call, and most sessions never ask.
        get
        {
            if (!_localEndPointRead)
            {
                _localEndPointRead = true;
                try
                {
                    _localEndPoint = _socket.LocalEndPoint;
                }
                catch (ObjectDisposedException)
                {
                }
            }

            return _localEndPoint;
        }

        set
        {
            _localEndPoint = value;
            _localEndPointRead = true;
        }
    }

    /// <summary>Takes over an accepted socket and starts its receive and send loops.</summary>
    public static SocketConnection Start(Socket socket, SocketConnectionOptions options) => new(socket, options);

    public override void Abort(ConnectionAbortedException abortReason)
    {
        // The reason first: cancelling the send loop's read runs that loop here and now, and it shuts down too.
        Shutdown(abortReason);
        _output.Reader.CancelPendingRead();
    }

    public override async ValueTask DisposeAsync()
    {
        _applicationDone = true;
        _input.Reader.Complete();
        _output.Writer.Complete();
        await _sending.ConfigureAwait(false);
        await _receiving.ConfigureAwait(false);
        // The token source is not disposed: a cancellation queued to the pool (see Closed) may still be on its way.
        _socket.Dispose();
    }

    private async Task ReceiveAsync()
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                // Wait for data holding no buffer: an idle session keeps no receive memory.
                await _receiver.ReceiveAsync(_socket, Memory<byte>.Empty).ConfigureAwait(false);
                if (_shutDown)
                {
                    break;
                }

                var buffer = _input.Writer.GetMemory(MinimumReceiveBuffer);
                var received = await _receiver.ReceiveAsync(_socket, buffer).ConfigureAwait(false);
                if (received == 0 || _shutDown)
                {
                    break;
                }

                _input.Writer.Advance(received);
                var flushed = await _input.Writer.FlushAsync().ConfigureAwait(false);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (SocketException e) when (IsReset(e.SocketErrorCode))
        {
            error = new ConnectionResetException(e.Message, e);
        }
        catch (SocketException e) when (IsAbort(e.SocketErrorCode))
        {
            error = _shutdownReason ?? new ConnectionAbortedException(e.Message, e);
        }
        catch (ObjectDisposedException e)
        {
            error = _shutdownReason ?? new ConnectionAbortedException(e.Message, e);
        }
        catch (Exception e)
        {
            error = new IOException(e.Message, e);
        }
        finally
        {
            _input.Writer.Complete(_shutdownReason ?? error);
            Closed();
        }
    }

    private async Task SendAsync()
    {
        Exception? reason = null;
        try
        {
            while (true)
            {
                var result = await _output.Reader.ReadAsync().ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    break;
                }

                var buffer = result.Buffer;
                if (!buffer.IsEmpty)
                {
                    await _sender.SendAsync(_socket, buffer).ConfigureAwait(false);
                }

                _output.Reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (SocketException e) when (IsReset(e.SocketErrorCode))
        {
            reason = new ConnectionResetException(e.Message, e);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            reason = e;
        }
        finally
        {
            Shutdown(reason);
            // A session still writing sees its flushes complete; the reason it ended, when there was one, it sees as
            // its input's error.
            _output.Reader.Complete();
            _input.Writer.CancelPendingFlush();
        }
    }

    /// <summary>Shuts the socket down both ways, once: the peer gets its end of stream, the receive loop its wake-up.</summary>
    private void Shutdown(Exception? reason)
    {
        lock (_shutdownGate)
        {
            if (_shutDown)
            {
                return;
            }

            _shutdownReason = reason ?? new ConnectionAbortedException("the connection's output ended");
            _shutDown = true;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Not connected any more (the peer reset it): the receive loop has its error already, or gets it now.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void Closed()
    {
        if (_applicationDone)
        {
            // The session has ended: whatever is still registered is leftovers, cheap to run here.
            _closed.Cancel();
        }
        else
        {
            // The peer went away under a running session: its unwinding (unlocking a mailbox, say) may block, so it
            // runs on the pool, as Kestrel ran it.
            ThreadPool.UnsafeQueueUserWorkItem(static c => c.Cancel(), _closed, preferLocal: false);
        }
    }

    /// <summary>A pipe whose reader and writer resume where the other side completes them, holding at most <paramref name="bound"/>.</summary>
    private static Pipe InlinePipe(int bound) => new(new PipeOptions(
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: bound,
        resumeWriterThreshold: bound / 2,
        useSynchronizationContext: false));

    private static bool IsReset(SocketError error) => error is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted;

    private static bool IsAbort(SocketError error) => error is SocketError.OperationAborted or SocketError.Interrupted or SocketError.InvalidArgument;

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
