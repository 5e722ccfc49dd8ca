using System.Threading.Channels;
using Postino.Storage.Maildir;

namespace Postino.Storage.Tests.Maildir;

public class GroupDirectorySyncTests
{
    [Fact]
    public async Task The_first_caller_without_contention_costs_one_sync_run_on_its_own_thread()
    {
        var calls = 0;
        var syncThread = -1;
        var group = new GroupDirectorySync(_ =>
        {
            calls++;
            syncThread = Environment.CurrentManagedThreadId;
            return ValueTask.CompletedTask;
        });

        var sync = group.SyncAsync("/d");

        // Done when the call returns, on the caller's thread: no hand-off, so no latency added to a lone delivery.
        Assert.True(sync.IsCompletedSuccessfully);
        Assert.Equal(Environment.CurrentManagedThreadId, syncThread);
        Assert.Equal(1, calls);
        Assert.Equal(0, group.Directories);
        await group.SyncAsync("/d");
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Callers_who_join_while_a_sync_runs_are_all_served_by_exactly_one_following_sync()
    {
        var fake = new FakeSync();
        var group = new GroupDirectorySync(fake.SyncAsync);
        var first = group.SyncAsync("/d").AsTask();
        var running = await fake.StartedAsync();

        var joined = Enumerable.Range(0, 8).Select(_ => group.SyncAsync("/d").AsTask()).ToArray();
        Assert.Equal(8, group.Waiting("/d"));
        running.SetResult();
        await first;

        // Their renames came after the running sync began: it does not cover them; the next one does, all of them.
        var next = await fake.StartedAsync();
        Assert.All(joined, task => Assert.False(task.IsCompleted));
        next.SetResult();
        await Task.WhenAll(joined);
        Assert.Equal(2, fake.Calls);
        Assert.Equal(2, group.Syncs);
        Assert.False(fake.AnyStarted);
        Assert.Equal(0, group.Directories);
    }

    [Fact]
    public async Task A_caller_who_joins_after_a_sync_started_is_not_released_by_that_sync()
    {
        var fake = new FakeSync();
        var group = new GroupDirectorySync(fake.SyncAsync);
        var first = group.SyncAsync("/d").AsTask();
        var firstSync = await fake.StartedAsync();
        var second = group.SyncAsync("/d").AsTask();
        firstSync.SetResult();
        await first;

        var secondSync = await fake.StartedAsync();
        var third = group.SyncAsync("/d").AsTask();
        Assert.False(second.IsCompleted);
        secondSync.SetResult();
        await second;
        Assert.False(third.IsCompleted);

        (await fake.StartedAsync()).SetResult();
        await third;
        Assert.Equal(3, fake.Calls);
        Assert.Equal(0, group.Directories);
    }

    [Fact]
    public async Task A_failed_sync_fails_every_caller_that_waited_on_it_and_the_next_caller_gets_a_new_sync()
    {
        var fake = new FakeSync();
        var group = new GroupDirectorySync(fake.SyncAsync);
        var first = group.SyncAsync("/d").AsTask();
        var firstSync = await fake.StartedAsync();
        var joined = Enumerable.Range(0, 3).Select(_ => group.SyncAsync("/d").AsTask()).ToArray();
        firstSync.SetResult();
        await first;

        (await fake.StartedAsync()).SetException(new IOException("fsync: EIO"));
        foreach (var task in joined)
        {
            var failure = await Assert.ThrowsAsync<IOException>(() => task);
            Assert.Equal("fsync: EIO", failure.Message);
        }

        Assert.Equal(0, group.Directories);
        var later = group.SyncAsync("/d").AsTask();
        (await fake.StartedAsync()).SetResult();
        await later;
        Assert.Equal(3, fake.Calls);
    }

    [Fact]
    public async Task A_lone_caller_gets_the_failure_of_its_own_sync()
    {
        var group = new GroupDirectorySync(_ => throw new IOException("disk gone"));

        await Assert.ThrowsAsync<IOException>(() => group.SyncAsync("/d").AsTask());
        Assert.Equal(0, group.Directories);
    }

    [Fact]
    public async Task Past_its_bounds_a_caller_syncs_on_its_own_at_once()
    {
        var fake = new FakeSync();
        var group = new GroupDirectorySync(fake.SyncAsync, maxDirectories: 1, maxWaiters: 2);
        var first = group.SyncAsync("/a").AsTask();
        var firstSync = await fake.StartedAsync();
        var joined = new[] { group.SyncAsync("/a").AsTask(), group.SyncAsync("/a").AsTask() };

        // A third waiter for /a and any caller for a second directory do not queue: each starts its own sync now.
        var overflow = group.SyncAsync("/a").AsTask();
        var ownSync = await fake.StartedAsync();
        var other = group.SyncAsync("/b").AsTask();
        var otherSync = await fake.StartedAsync();
        Assert.Equal(2, group.Waiting("/a"));
        Assert.Equal(1, group.Directories);

        ownSync.SetResult();
        otherSync.SetResult();
        await Task.WhenAll(overflow, other);
        Assert.All(joined, task => Assert.False(task.IsCompleted));
        firstSync.SetResult();
        await first;
        (await fake.StartedAsync()).SetResult();
        await Task.WhenAll(joined);
        Assert.Equal(4, fake.Calls);
        Assert.Equal(0, group.Directories);
    }

    [Fact]
    public async Task Concurrent_deliveries_through_the_shared_sync_are_all_stored()
    {
        using var fixture = new MaildirFixture();
        var deliveries = await Task.WhenAll(Enumerable.Range(0, 16).Select(n => Task.Run(() => fixture.DeliverAsync($"Subject: {n}\n\nbody\n"))));

        var messages = await fixture.SnapshotAsync();
        Assert.Equal(deliveries.Select(d => d.Uidl).Order(StringComparer.Ordinal), messages.Select(m => m.Uidl).Order(StringComparer.Ordinal));
    }

    /// <summary>A directory sync the test completes (or fails) when it chooses; each start is announced.</summary>
    private sealed class FakeSync
    {
        private readonly Channel<TaskCompletionSource> _started = Channel.CreateUnbounded<TaskCompletionSource>();
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public bool AnyStarted => _started.Reader.TryPeek(out _);

        public ValueTask SyncAsync(string directory)
        {
            Interlocked.Increment(ref _calls);
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _started.Writer.TryWrite(done);
            return new ValueTask(done.Task);
        }

        /// <summary>The next sync started (in start order): complete it to end that sync.</summary>
        public async Task<TaskCompletionSource> StartedAsync() => await _started.Reader.ReadAsync();
    }
}
