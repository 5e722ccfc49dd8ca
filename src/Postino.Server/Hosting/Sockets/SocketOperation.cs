using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace Postino.Server.Hosting.Sockets;

/// <summary>
/// One reusable receive or send on a socket, awaitable without allocating. Its continuation runs where the operation
/// completes: inline when the kernel answers at once, on the socket's event thread otherwise (with inline socket
/// completions; docs/architecture.md, "Threads").
/// </summary>
internal sealed class SocketOperation() : SocketAsyncEventArgs(unsafeSuppressExecutionContextFlow: true), IValueTaskSource<int>
{
    private static readonly Action<object?> Done = static _ => { };
    private readonly List<ArraySegment<byte>> _segments = [];
    private Action<object?>? _continuation;

    public ValueTask<int> ReceiveAsync(Socket socket, Memory<byte> buffer)
    {
        SetBuffer(buffer);
        return socket.ReceiveAsync(this) ? new ValueTask<int>(this, 0) : CompletedAtOnce();
    }

    public ValueTask<int> SendAsync(Socket socket, in ReadOnlySequence<byte> buffers)
    {
        if (buffers.IsSingleSegment)
        {
            if (BufferList is not null)
            {
                BufferList = null;
            }

            SetBuffer(MemoryMarshal.AsMemory(buffers.First));
        }
        else
        {
            // One sendmsg for the whole sequence (a TLS record spans several pipe segments).
            SetBuffer(null, 0, 0);
            _segments.Clear();
            foreach (var segment in buffers)
            {
                if (!MemoryMarshal.TryGetArray(segment, out var array))
                {
                    throw new InvalidOperationException("a pipe segment is not array memory");
                }

                _segments.Add(array);
            }

            BufferList = _segments;
        }

        return socket.SendAsync(this) ? new ValueTask<int>(this, 0) : CompletedAtOnce();
    }

    public int GetResult(short token)
    {
        _continuation = null;
        ReleaseSegments();
        return SocketError == SocketError.Success ? BytesTransferred : throw new SocketException((int)SocketError);
    }

    public ValueTaskSourceStatus GetStatus(short token) =>
        !ReferenceEquals(_continuation, Done) ? ValueTaskSourceStatus.Pending
        : SocketError == SocketError.Success ? ValueTaskSourceStatus.Succeeded
        : ValueTaskSourceStatus.Faulted;

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        UserToken = state;
        var previous = Interlocked.CompareExchange(ref _continuation, continuation, null);
        if (ReferenceEquals(previous, Done))
        {
            // Completed between the awaiter's check and now: not inline, the awaiter is still on this stack.
            UserToken = null;
            ThreadPool.UnsafeQueueUserWorkItem(continuation, state, preferLocal: true);
        }
    }

    protected override void OnCompleted(SocketAsyncEventArgs e)
    {
        var continuation = Interlocked.Exchange(ref _continuation, Done);
        if (continuation is not null)
        {
            var state = UserToken;
            UserToken = null;
            continuation(state);
        }
    }

    private ValueTask<int> CompletedAtOnce()
    {
        var error = SocketError;
        var transferred = BytesTransferred;
        ReleaseSegments();
        return error == SocketError.Success
            ? new ValueTask<int>(transferred)
            : ValueTask.FromException<int>(new SocketException((int)error));
    }

    /// <summary>Lets go of a gathered send's segments (the pipe reuses their memory once the send loop advances).</summary>
    private void ReleaseSegments()
    {
        if (BufferList is not null)
        {
            BufferList = null;
            _segments.Clear();
        }
    }
}
