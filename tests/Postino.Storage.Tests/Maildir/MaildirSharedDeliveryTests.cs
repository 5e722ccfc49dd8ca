using System.Text;
using System.Threading.Channels;
using Postino.Storage.Maildir;

namespace Postino.Storage.Tests.Maildir;

/// <summary>
/// Deliveries and the sync of <c>new/</c>: nothing is acknowledged before the sync covering its name succeeded, a
/// failed sync fails the delivery as a temporary error, and a message for several users is written and fsynced once
/// and hard-linked into each Maildir.
/// </summary>
public sealed class MaildirSharedDeliveryTests : IDisposable
{
    private const string Text = "Subject: shared\n\nbody\n";

    private readonly MaildirFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task A_delivery_returns_only_once_the_sync_of_new_after_its_rename_succeeded()
    {
        var syncs = Channel.CreateUnbounded<(string Directory, TaskCompletionSource Done)>();
        var store = StoreWithSync(directory =>
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            syncs.Writer.TryWrite((directory, done));
            return new ValueTask(done.Task);
        });

        var delivery = Task.Run(() => DeliverAsync(store, MaildirFixture.User));
        var (synced, sync) = await syncs.Reader.ReadAsync();

        // The name is in new/ before the sync starts; the delivery is not done while the sync runs.
        Assert.Equal(_fixture.New, synced);
        Assert.Single(Directory.GetFiles(_fixture.New));
        Assert.False(delivery.IsCompleted);
        sync.SetResult();
        var result = await delivery;
        Assert.Equal(Path.GetFileName(Assert.Single(Directory.GetFiles(_fixture.New))), result.StorageId);
    }

    [Fact]
    public async Task A_failed_sync_of_new_fails_the_delivery_as_a_temporary_storage_error()
    {
        var store = StoreWithSync(_ => throw new IOException("fsync: EIO"));

        var failure = await Assert.ThrowsAsync<StorageException>(() => DeliverAsync(store, MaildirFixture.User));

        Assert.True(failure.IsTemporary);
        Assert.IsType<IOException>(failure.InnerException);
    }

    [Fact]
    public async Task One_message_for_several_users_is_written_once_and_linked_into_each_maildir()
    {
        var users = new[] { "alice", "bob", "carol" };

        var outcomes = await _fixture.Store.DeliverAsync(users, new BytesSource(Text), CancellationToken.None);

        Assert.All(outcomes, outcome => Assert.True(outcome.Delivered, outcome.Failure?.ToString()));
        Assert.Equal(users, outcomes.Select(o => o.User));
        var files = users.Select(user => Assert.Single(Directory.GetFiles(NewOf(user)))).ToArray();
        Assert.All(files, file => Assert.Equal(Text, File.ReadAllText(file)));
        Assert.Single(files.Select(file => DirectoryStamp.Of(file).Inode).Distinct());
        Assert.All(outcomes, outcome => Assert.Equal(outcomes[0].Result!.StorageId, outcome.Result!.StorageId));
        Assert.All(users, user => Assert.Empty(Directory.GetFiles(Path.Combine(MaildirOf(user), "tmp"))));

        // Each Maildir serves it as its own message: deleting it in one leaves the others.
        await using (var maildrop = await _fixture.Store.OpenAsync("bob", null, CancellationToken.None))
        {
            maildrop.MarkDeleted(0);
            await maildrop.CommitAsync(CancellationToken.None);
        }

        await using var alice = await _fixture.Store.OpenAsync("alice", null, CancellationToken.None);
        Assert.Equal(Text, await MaildirFixture.ReadAllAsync(alice, 0));
    }

    [Fact]
    public async Task Every_recipient_waits_for_the_sync_of_its_own_new_and_a_failed_one_fails_that_recipient_alone()
    {
        var synced = new List<string>();
        var store = StoreWithSync(directory =>
        {
            lock (synced)
            {
                synced.Add(directory);
            }

            return directory == NewOf("bob") ? throw new IOException("fsync: EIO") : ValueTask.CompletedTask;
        });

        var outcomes = await store.DeliverAsync(["alice", "bob", "carol"], new BytesSource(Text), CancellationToken.None);

        Assert.True(outcomes[0].Delivered);
        Assert.True(Assert.IsType<StorageException>(outcomes[1].Failure).IsTemporary);
        Assert.True(outcomes[2].Delivered);
        Assert.Equal([NewOf("alice"), NewOf("bob"), NewOf("carol")], synced.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_recipient_over_quota_is_refused_alone()
    {
        var store = _fixture.Restart(quotas: new PerUserQuota("bob", new MailboxQuota(MaxBytes: 10, MaxMessages: null)));

        var outcomes = await store.DeliverAsync(["bob", "alice"], new BytesSource(Text), CancellationToken.None);

        Assert.Equal("bytes", Assert.IsType<QuotaExceededException>(outcomes[0].Failure).Limit);
        Assert.True(outcomes[1].Delivered);
        Assert.Empty(Directory.GetFiles(NewOf("bob")));
        Assert.Empty(Directory.GetFiles(Path.Combine(MaildirOf("bob"), "tmp")));
        Assert.Equal(Text, File.ReadAllText(Assert.Single(Directory.GetFiles(NewOf("alice")))));
    }

    [Fact]
    public async Task A_user_named_twice_gets_two_messages_as_one_by_one_delivery_gave()
    {
        var outcomes = await _fixture.Store.DeliverAsync(["alice", "alice"], new BytesSource(Text), CancellationToken.None);

        Assert.All(outcomes, outcome => Assert.True(outcome.Delivered));
        Assert.NotEqual(outcomes[0].Result!.Uidl, outcomes[1].Result!.Uidl);
        Assert.Equal(2, (await _fixture.SnapshotAsync()).Count);
    }

    private MaildirStore StoreWithSync(Func<string, ValueTask> sync) =>
        new(_fixture.Options, time: _fixture.Time)
        {
            Delivery = new MaildirDelivery("test.example", _fixture.Time, new GroupDirectorySync(sync)),
        };

    private static async Task<DeliveryResult> DeliverAsync(MaildirStore store, string user)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Text));
        return await store.DeliverAsync(user, stream, CancellationToken.None);
    }

    private string MaildirOf(string user) => Path.Combine(_fixture.DataDirectory, "mail", user, "Maildir");

    private string NewOf(string user) => Path.Combine(MaildirOf(user), "new");

    private sealed class BytesSource(string text) : IMessageSource
    {
        public ValueTask<Stream> OpenReadAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(text)));
    }

    private sealed class PerUserQuota(string user, MailboxQuota quota) : IMailboxQuotaSource
    {
        public ValueTask<MailboxQuota> GetQuotaAsync(string name, CancellationToken cancellationToken) =>
            ValueTask.FromResult(name == user ? quota : MailboxQuota.Unlimited);
    }
}
