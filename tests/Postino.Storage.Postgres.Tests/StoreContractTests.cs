using System.Text;
using Postino.Protocols.Text;
using Postino.Storage.Postgres.Tests.Support;
using Postino.Storage.Retention;

namespace Postino.Storage.Postgres.Tests;

/// <summary>
/// What every mail store promises the servers (IMailStore, IMaildrop), run on the Maildir store and on PostgreSQL:
/// the same deliveries must give the same wire bytes, sizes, order, locking, commits, quotas and retention.
/// </summary>
public abstract class StoreContractTests(string kind) : IAsyncLifetime
{
    protected const string User = "alice";

    protected StoreKind Kind { get; private set; } = null!;

    public async Task InitializeAsync() => Kind = await StoreKind.CreateAsync(kind);

    public async Task DisposeAsync() => await Kind.DisposeAsync();

    [Fact]
    public async Task A_delivery_is_read_back_in_its_wire_form_with_its_size()
    {
        var store = await Kind.OpenStoreAsync();
        var messages = new[]
        {
            "Subject: lf\n\nline\n.dot\n",
            "Subject: crlf\r\n\r\nbody\r\n",
            "Subject: no final newline\n\nlast",
            "Subject: cr at end\n\nx\r",
            "Subject: empty body\n\n",
        };
        var results = new List<DeliveryResult>();
        foreach (var text in messages)
        {
            results.Add(await DeliverAsync(store, text));
        }

        await using var maildrop = await store.OpenAsync(User, null, CancellationToken.None);
        Assert.Equal(messages.Length, maildrop.Messages.Count);
        for (var i = 0; i < messages.Length; i++)
        {
            var expected = Wire(Encoding.UTF8.GetBytes(messages[i]));
            Assert.Equal(expected.Length, maildrop.Messages[i].Size);
            Assert.Equal(results[i].Size, maildrop.Messages[i].Size);
            Assert.Equal(results[i].Uidl, maildrop.Messages[i].Uidl);
            Assert.Equal(Encoding.Latin1.GetString(expected), Encoding.Latin1.GetString(await WireOfAsync(maildrop, i)));
        }
    }

    [Fact]
    public async Task A_large_message_streams_back_byte_for_byte()
    {
        var store = await Kind.OpenStoreAsync();
        var text = new StringBuilder("Subject: big\r\n\r\n");
        for (var i = 0; text.Length < 600_000; i++)
        {
            text.Append("line ").Append(i).Append(i % 7 == 0 ? "\n" : "\r\n");
        }

        var bytes = Encoding.ASCII.GetBytes(text.ToString());
        await DeliverAsync(store, text.ToString());
        await using var maildrop = await store.OpenAsync(User, null, CancellationToken.None);
        Assert.Equal(Wire(bytes), await WireOfAsync(maildrop, 0));
    }

    [Fact]
    public async Task Messages_keep_delivery_order_and_unique_valid_uidls()
    {
        var store = await Kind.OpenStoreAsync();
        for (var i = 0; i < 20; i++)
        {
            await DeliverAsync(store, $"Subject: {i}\n\n{i}\n");
            Kind.Time.Advance(TimeSpan.FromMilliseconds(1));
        }

        await using var maildrop = await store.OpenAsync(User, null, CancellationToken.None);
        Assert.Equal(20, maildrop.Messages.Select(m => m.Uidl).Distinct().Count());
        Assert.All(maildrop.Messages, m => Assert.Matches("^[\\x21-\\x7e]{1,70}$", m.Uidl));
        for (var i = 0; i < 20; i++)
        {
            Assert.EndsWith($"\r\n{i}\r\n", Encoding.ASCII.GetString(await WireOfAsync(maildrop, i)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_mailbox_is_open_in_one_session_at_a_time_even_from_another_store_instance()
    {
        var store = await Kind.OpenStoreAsync();
        var other = await Kind.OpenStoreAsync();
        await DeliverAsync(store, "Subject: x\n\nx\n");
        var first = await store.OpenAsync(User, null, CancellationToken.None);
        await Assert.ThrowsAsync<MailboxInUseException>(async () => await store.OpenAsync(User, "inbox", CancellationToken.None));
        await Assert.ThrowsAsync<MailboxInUseException>(async () => await other.OpenAsync(User, null, CancellationToken.None));
        await first.DisposeAsync();
        await using var second = await other.OpenAsync(User, null, CancellationToken.None);
        Assert.Single(second.Messages);
    }

    [Fact]
    public async Task Dispose_without_commit_changes_nothing()
    {
        var store = await Kind.OpenStoreAsync();
        await DeliverAsync(store, "Subject: one\n\n1\n");
        await DeliverAsync(store, "Subject: two\n\n2\n");
        var before = await SnapshotAsync(store);
        await using (var maildrop = await store.OpenAsync(User, null, CancellationToken.None))
        {
            maildrop.MarkDeleted(0);
            maildrop.MarkRetrieved(1);
            Assert.True(maildrop.IsDeleted(0));
        }

        Assert.Equal(before, await SnapshotAsync(store));
    }

    [Fact]
    public async Task Commit_deletes_the_marked_and_records_first_retrievals()
    {
        var store = await Kind.OpenStoreAsync();
        for (var i = 0; i < 4; i++)
        {
            await DeliverAsync(store, $"Subject: {i}\n\n{i}\n");
            Kind.Time.Advance(TimeSpan.FromMilliseconds(1));
        }

        var before = await SnapshotAsync(store);
        Kind.Time.Advance(TimeSpan.FromHours(3));
        await using (var maildrop = await store.OpenAsync(User, null, CancellationToken.None))
        {
            maildrop.MarkDeleted(0);
            maildrop.MarkDeleted(3);
            maildrop.ClearDeletions();
            maildrop.MarkDeleted(1);
            maildrop.MarkRetrieved(2);
            maildrop.MarkRetrieved(1);
            await maildrop.CommitAsync(CancellationToken.None);
        }

        var after = await SnapshotAsync(store);
        Assert.Equal(new[] { before[0].Uidl, before[2].Uidl, before[3].Uidl }, after.Select(m => m.Uidl));
        Assert.Equal(Kind.Time.GetUtcNow(), after[1].FirstRetrievedAt);
        Assert.Null(after[0].FirstRetrievedAt);

        var later = Kind.Time.GetUtcNow();
        Kind.Time.Advance(TimeSpan.FromDays(1));
        await using (var maildrop = await store.OpenAsync(User, null, CancellationToken.None))
        {
            maildrop.MarkRetrieved(1);
            await maildrop.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(later, (await SnapshotAsync(store))[1].FirstRetrievedAt);
    }

    [Fact]
    public async Task Mail_delivered_during_a_session_is_not_in_its_snapshot_and_survives_its_commit()
    {
        var store = await Kind.OpenStoreAsync();
        await DeliverAsync(store, "Subject: old\n\nold\n");
        await using (var maildrop = await store.OpenAsync(User, null, CancellationToken.None))
        {
            Kind.Time.Advance(TimeSpan.FromSeconds(1));
            await DeliverAsync(store, "Subject: new\n\nnew\n");
            Assert.Single(maildrop.Messages);
            maildrop.MarkDeleted(0);
            await maildrop.CommitAsync(CancellationToken.None);
        }

        var after = await SnapshotAsync(store);
        Assert.Single(after);
    }

    [Fact]
    public async Task Delete_on_retrieve_removes_retrieved_messages_at_commit()
    {
        var store = await Kind.OpenStoreAsync(retention: new Always());
        await DeliverAsync(store, "Subject: one\n\n1\n");
        await DeliverAsync(store, "Subject: two\n\n2\n");
        await using (var maildrop = await store.OpenAsync(User, null, CancellationToken.None))
        {
            maildrop.MarkRetrieved(0);
            await maildrop.CommitAsync(CancellationToken.None);
        }

        Assert.Single(await SnapshotAsync(store));
    }

    [Fact]
    public async Task Quotas_refuse_a_delivery_and_store_nothing_of_it()
    {
        var store = await Kind.OpenStoreAsync(quotas: new FixedQuota(new MailboxQuota(null, 2)));
        await DeliverAsync(store, "Subject: 1\n\n1\n");
        await DeliverAsync(store, "Subject: 2\n\n2\n");
        var refused = await Assert.ThrowsAsync<QuotaExceededException>(() => DeliverAsync(store, "Subject: 3\n\n3\n"));
        Assert.Equal("messages", refused.Limit);
        Assert.Equal(2, (await SnapshotAsync(store)).Count);

        var small = await Kind.OpenStoreAsync(quotas: new FixedQuota(new MailboxQuota(200, null)));
        var tooBig = await Assert.ThrowsAsync<QuotaExceededException>(() => DeliverAsync(small, "Subject: big\n\n" + new string('x', 300) + "\n", "bob"));
        Assert.Equal("bytes", tooBig.Limit);
        await using var bob = await small.OpenAsync("bob", null, CancellationToken.None);
        Assert.Empty(bob.Messages);
    }

    [Fact]
    public async Task A_delivery_to_several_users_stores_each_copy_and_a_quota_refuses_only_its_user()
    {
        var quotas = new PerUserQuota(new Dictionary<string, MailboxQuota>
        {
            ["bob"] = new(null, 1),
            ["carol"] = new(100, null),
        });
        var store = await Kind.OpenStoreAsync(quotas: quotas);
        await DeliverAsync(store, "Subject: first\n\nfirst\n", "bob");
        var text = Encoding.ASCII.GetBytes("Subject: to four\n\n" + new string('x', 200) + "\n");
        string[] users = [User, "bob", "carol", "dave", "dave"];

        var outcomes = await store.DeliverAsync(users, new BytesSource(text), CancellationToken.None);

        Assert.Equal(users, outcomes.Select(o => o.User));
        Assert.Equal("messages", Assert.IsType<QuotaExceededException>(outcomes[1].Failure).Limit);
        Assert.Equal("bytes", Assert.IsType<QuotaExceededException>(outcomes[2].Failure).Limit);
        var delivered = new[] { outcomes[0], outcomes[3], outcomes[4] };
        Assert.All(delivered, o => Assert.True(o.Delivered, o.Failure?.Message));
        Assert.NotEqual(outcomes[3].Result!.Uidl, outcomes[4].Result!.Uidl);
        var expected = Encoding.Latin1.GetString(Wire(text));
        foreach (var (user, count) in new[] { (User, 1), ("bob", 1), ("carol", 0), ("dave", 2) })
        {
            await using var maildrop = await store.OpenAsync(user, null, CancellationToken.None);
            Assert.Equal(count, maildrop.Messages.Count);
            if (user != "bob")
            {
                for (var i = 0; i < count; i++)
                {
                    Assert.Equal(expected.Length, maildrop.Messages[i].Size);
                    Assert.Equal(expected, Encoding.Latin1.GetString(await WireOfAsync(maildrop, i)));
                }
            }
        }
    }

    [Fact]
    public async Task Folders_open_when_they_exist_and_not_otherwise()
    {
        var store = await Kind.OpenStoreAsync();
        await Kind.CreateFolderAsync(User, "archive");
        await using (var folder = await store.OpenAsync(User, "archive", CancellationToken.None))
        {
            Assert.Empty(folder.Messages);
        }

        await Assert.ThrowsAsync<MailboxNotFoundException>(async () => await store.OpenAsync(User, "missing", CancellationToken.None));
        await Assert.ThrowsAsync<MailboxNotFoundException>(async () => await store.OpenAsync(User, "../escape", CancellationToken.None));
    }

    [Fact]
    public async Task The_retention_sweeper_removes_expired_mail()
    {
        var store = await Kind.OpenStoreAsync();
        await DeliverAsync(store, "Subject: old\n\nold\n");
        Kind.Time.Advance(TimeSpan.FromDays(10));
        await DeliverAsync(store, "Subject: young\n\nyoung\n");
        var sweeper = new RetentionSweeper(store, new MaxAge(5), Kind.Time);

        var report = await sweeper.SweepAsync([User, "nobody-here"], dryRun: false, CancellationToken.None);

        Assert.Single(report.Expired);
        Assert.Equal(1, report.MailboxesSwept);
        Assert.Single(await SnapshotAsync(store));
    }

    protected static async Task<DeliveryResult> DeliverAsync(IMailStore store, string text, string user = User)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return await store.DeliverAsync(user, stream, CancellationToken.None);
    }

    protected static async Task<IReadOnlyList<MessageInfo>> SnapshotAsync(IMailStore store)
    {
        await using var maildrop = await store.OpenAsync(User, null, CancellationToken.None);
        return maildrop.Messages;
    }

    /// <summary>What RETR sends (before dot-stuffing) for message <paramref name="index"/>: the stored bytes, wire-encoded.</summary>
    protected static async Task<byte[]> WireOfAsync(IMaildrop maildrop, int index)
    {
        await using var stream = await maildrop.OpenMessageAsync(index, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return Wire(copy.ToArray());
    }

    private static byte[] Wire(byte[] stored)
    {
        var encoder = new MessageEncoder(dotStuff: false);
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        encoder.Encode(stored, output);
        encoder.Complete(output);
        return output.WrittenSpan.ToArray();
    }

    private sealed class Always : IRetentionAtCommit
    {
        public ValueTask<Storage.Retention.EffectiveRetention> ResolveAsync(string user, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new Storage.Retention.EffectiveRetention(Storage.Users.RetentionPolicy.DeleteOnRetrieve, null));
    }

    private sealed class PerUserQuota(Dictionary<string, MailboxQuota> quotas) : IMailboxQuotaSource
    {
        public ValueTask<MailboxQuota> GetQuotaAsync(string user, CancellationToken cancellationToken) =>
            ValueTask.FromResult(quotas.GetValueOrDefault(user, MailboxQuota.Unlimited));
    }

    private sealed class BytesSource(byte[] message) : IMessageSource
    {
        public ValueTask<Stream> OpenReadAsync(CancellationToken cancellationToken) => ValueTask.FromResult<Stream>(new MemoryStream(message, writable: false));
    }

    private sealed class FixedQuota(MailboxQuota quota) : IMailboxQuotaSource
    {
        public ValueTask<MailboxQuota> GetQuotaAsync(string user, CancellationToken cancellationToken) => ValueTask.FromResult(quota);
    }

    private sealed class MaxAge(int days) : IRetentionRuleSource
    {
        public ValueTask<RetentionRule> GetRuleAsync(string user, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new RetentionRule(null, days));
    }
}

public sealed class MaildirStoreContractTests() : StoreContractTests("maildir");

public sealed class PostgresStoreContractTests() : StoreContractTests("postgres");

/// <summary>The PostgreSQL store on the slim data source of the NativeAOT one-shot programs: the same promises.</summary>
public sealed class PostgresSlimStoreContractTests() : StoreContractTests("postgres-slim");
