using Postino.Storage.Threading;

namespace Postino.Storage.Tests.Threading;

/// <summary>Where work continues after <see cref="OffEventLoop.Yield"/>: on the pool, moved only from other threads.</summary>
public sealed class OffEventLoopTests
{
    [Fact]
    public async Task From_a_thread_the_pool_does_not_own_it_continues_on_a_pool_thread()
    {
        var after = new TaskCompletionSource<(bool WasEventThread, bool OnPool)>();
        var thread = new Thread(() => _ = MoveAsync(after)) { IsBackground = true };
        thread.Start();

        var (wasEventThread, onPool) = await after.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(wasEventThread);
        Assert.True(onPool);
    }

    [Fact]
    public async Task On_a_pool_thread_it_is_already_complete_and_stays_there()
    {
        var (completed, thread, threadAfter) = await Task.Run(async () =>
        {
            var awaitable = OffEventLoop.Yield();
            var before = Environment.CurrentManagedThreadId;
            await awaitable;
            return (awaitable.IsCompleted, before, Environment.CurrentManagedThreadId);
        });

        Assert.True(completed);
        Assert.Equal(thread, threadAfter);
    }

    private static async Task MoveAsync(TaskCompletionSource<(bool, bool)> after)
    {
        var wasEventThread = OffEventLoop.IsEventThread;
        await OffEventLoop.Yield();
        after.SetResult((wasEventThread, Thread.CurrentThread.IsThreadPoolThread));
    }
}
