using System.Runtime.CompilerServices;

namespace Postino.Storage.Threading;

/// <summary>
/// Keeps work that may block (a read that waits for the disk, an fsync, a directory listing, a users file parsed)
/// off the threads that run sockets. The server runs a session where its input arrived, on the socket's event thread,
/// with no hand-over to the thread pool per request (docs/architecture.md, "Threads"); whatever may block moves to the
/// pool first with <c>await OffEventLoop.Yield()</c>. On a pool thread that costs nothing (the awaiter is already
/// complete), so the stores call it at each blocking entry, whoever the caller is. Any thread the pool does not own
/// counts as an event thread: a dedicated thread (a test's, a command's main thread) is moved too, which is harmless.
/// </summary>
public static class OffEventLoop
{
    /// <summary>True on a thread the pool does not own, where blocking would hold up every socket of an event loop.</summary>
    public static bool IsEventThread => !Thread.CurrentThread.IsThreadPoolThread;

    /// <summary>Continues on a pool thread: at once on one, else through the pool's queue.</summary>
    public static PoolAwaitable Yield() => default;

    /// <summary>The awaitable of <see cref="Yield"/> (a struct: nothing is allocated when no move is needed).</summary>
    public readonly struct PoolAwaitable : ICriticalNotifyCompletion
    {
        public bool IsCompleted => Thread.CurrentThread.IsThreadPoolThread;

        public PoolAwaitable GetAwaiter() => this;

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation) =>
            ThreadPool.QueueUserWorkItem(static run => run(), continuation, preferLocal: false);

        public void UnsafeOnCompleted(Action continuation) =>
            ThreadPool.UnsafeQueueUserWorkItem(static run => run(), continuation, preferLocal: false);
    }
}
