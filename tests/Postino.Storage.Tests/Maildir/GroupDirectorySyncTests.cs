using Postino.Storage.Maildir;

namespace Postino.Storage.Tests.Maildir;

public class GroupDirectorySyncTests
{
    [Fact]
    public async Task Callers_arriving_during_a_sync_share_the_next_one_and_none_returns_before_it()
    {
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new ManualResetEventSlim();
        var syncs = 0;
        var group = new GroupDirectorySync(_ =>
        {
            if (Interlocked.Increment(ref syncs) == 1)
            {
                firstStarted.SetResult();
                releaseFirst.Wait();
            }
        });

        var first = group.SyncAsync("/d");
        await firstStarted.Task;
        var waiting = Enumerable.Range(0, 5).Select(_ => group.SyncAsync("/d")).ToArray();

        // Their renames came after the running sync began: it does not cover them.
        Assert.All(waiting, task => Assert.False(task.IsCompleted));
        releaseFirst.Set();
        await first;
        await Task.WhenAll(waiting);

        Assert.Equal(2, syncs);
        Assert.Equal(2, group.Syncs);
    }

    [Fact]
    public async Task A_failed_sync_fails_its_callers_and_the_next_caller_gets_a_new_sync()
    {
        var fail = true;
        var group = new GroupDirectorySync(_ =>
        {
            if (fail)
            {
                throw new IOException("disk gone");
            }
        });

        await Assert.ThrowsAsync<IOException>(() => group.SyncAsync("/d"));
        fail = false;
        await group.SyncAsync("/d");
        Assert.Equal(2, group.Syncs);
    }

    [Fact]
    public async Task Concurrent_deliveries_through_the_shared_sync_are_all_stored()
    {
        using var fixture = new MaildirFixture();
        var deliveries = await Task.WhenAll(Enumerable.Range(0, 16).Select(n => Task.Run(() => fixture.DeliverAsync($"Subject: {n}\n\nbody\n"))));

        var messages = await fixture.SnapshotAsync();
        Assert.Equal(deliveries.Select(d => d.Uidl).Order(StringComparer.Ordinal), messages.Select(m => m.Uidl).Order(StringComparer.Ordinal));
    }
}
