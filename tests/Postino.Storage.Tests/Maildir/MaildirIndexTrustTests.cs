using System.Text;
using Postino.Protocols.Text;
using Postino.Storage.Maildir;

namespace Postino.Storage.Tests.Maildir;

/// <summary>
/// The classic Maildir rule: a login trusts the index, and lists neither <c>new/</c> nor <c>cur/</c>, when both
/// directories' stamps are those the index recorded and were already old when recorded. The directories are aged by
/// setting their times an hour back, as a mailbox nobody touched for an hour would be.
/// </summary>
public sealed class MaildirIndexTrustTests : IDisposable
{
    private readonly MaildirFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task An_unchanged_mailbox_is_served_from_the_index_without_listing_a_directory()
    {
        var settled = await SettledMailboxAsync();
        var listings = _fixture.Store.DirectoryListings;
        var opens = _fixture.Store.MessageFileOpens;

        var warm = await _fixture.SnapshotAsync();

        Assert.Equal(listings, _fixture.Store.DirectoryListings);
        Assert.Equal(opens, _fixture.Store.MessageFileOpens);
        Assert.Equal(settled, warm);
        await using var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);
        Assert.Contains("Subject: postfix", await MaildirFixture.ReadAllAsync(maildrop, 0), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_between_logins_is_seen()
    {
        var settled = await SettledMailboxAsync();

        var delivered = await _fixture.DeliverAsync("Subject: later\n\nbody\n");
        var after = await _fixture.SnapshotAsync();

        Assert.Equal([.. settled.Select(m => m.Uidl), delivered.Uidl], after.Select(m => m.Uidl));
    }

    [Fact]
    public async Task A_deletion_by_another_program_is_seen()
    {
        var settled = await SettledMailboxAsync();
        var victim = Directory.GetFiles(_fixture.Cur).Single(f => Path.GetFileName(f).StartsWith(settled[1].StorageId, StringComparison.Ordinal));

        File.Delete(victim);
        var after = await _fixture.SnapshotAsync();

        Assert.Equal(new[] { settled[0], settled[2] }.Select(m => m.Uidl), after.Select(m => m.Uidl));
    }

    [Fact]
    public async Task A_commit_makes_the_next_login_list_the_directories_again()
    {
        await SettledMailboxAsync();
        await using (var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None))
        {
            maildrop.MarkRetrieved(0);
            await maildrop.CommitAsync(CancellationToken.None);
        }

        var listings = _fixture.Store.DirectoryListings;
        var after = await _fixture.SnapshotAsync();

        Assert.True(_fixture.Store.DirectoryListings > listings);
        Assert.Equal(3, after.Count);
        Assert.NotNull(after[0].FirstRetrievedAt);
    }

    [Fact]
    public async Task A_text_index_of_an_earlier_version_is_read_and_replaced_by_the_binary_one()
    {
        _fixture.WriteForeign("cur", "1700000000.M1P1.host:2,", "Subject: one\n\nbody\n");
        _fixture.WriteForeign("cur", "1700000001.M2P1.host:2,S", "Subject: two\n\nbody\n");
        File.WriteAllText(
            _fixture.IndexPath,
            "postino-index 1\nold-uidl-1\t21\t1700000000000\t-\t1700000000.M1P1.host\nold-uidl-2\t21\t1700000001000\t1700000002000\t1700000001.M2P1.host\nend 2\n");

        var messages = await _fixture.SnapshotAsync();

        Assert.Equal(["old-uidl-1", "old-uidl-2"], messages.Select(m => m.Uidl));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000002000), messages[1].FirstRetrievedAt);
        Assert.StartsWith("postino-index 2\n", Encoding.ASCII.GetString(File.ReadAllBytes(_fixture.IndexPath), 0, 16), StringComparison.Ordinal);
        _fixture.Restart();
        Assert.Equal(messages, await _fixture.SnapshotAsync());
    }

    [Fact]
    public async Task Sizes_of_many_untagged_files_are_measured_several_at_a_time_and_are_the_wire_sizes()
    {
        var expected = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var n = 0; n < 50; n++)
        {
            var text = $"Subject: {n}\n\n" + string.Concat(Enumerable.Repeat("line\r\nbare\n", n)) + (n % 2 == 0 ? "no final newline" : "\n");
            var baseName = $"{1700000000 + n}.V801I{n:x}M0.mx.example";
            _fixture.WriteForeign("new", baseName, text);
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
            expected[baseName] = await MessageEncoder.MeasureAsync(stream, CancellationToken.None);
        }

        var messages = await _fixture.SnapshotAsync();

        Assert.Equal(50, messages.Count);
        Assert.All(messages, m => Assert.Equal(expected[m.StorageId], m.Size));
        Assert.Equal(50, _fixture.Store.MessageFileOpens);
    }

    [Fact]
    public async Task A_warm_login_of_an_unchanged_big_folder_reuses_the_parsed_index_and_a_commit_leaves_it_untouched()
    {
        var settled = await SettledMailboxAsync();
        var store = new MaildirStore(_fixture.Options, time: _fixture.Time) { IndexCache = new MaildirIndexCache(minimumEntries: 1) };
        var listings = store.DirectoryListings;

        Assert.Equal(settled, await SnapshotAsync(store));
        Assert.Equal(0, store.IndexCache.Hits);
        Assert.Equal(settled, await SnapshotAsync(store));
        Assert.Equal(1, store.IndexCache.Hits);
        Assert.Equal(listings, store.DirectoryListings);
        var kept = await MaildirIndexFile.LoadAsync(_fixture.Maildir, store.IndexCache, CancellationToken.None);
        Assert.Equal(2, store.IndexCache.Hits);

        await using (var maildrop = await store.OpenAsync(MaildirFixture.User, null, CancellationToken.None))
        {
            maildrop.MarkRetrieved(0);
            maildrop.MarkDeleted(1);
            await maildrop.CommitAsync(CancellationToken.None);
        }

        // The commit changed a copy: what the cache held still is the file it was parsed from.
        Assert.Equal(3, kept.Entries.Count);
        Assert.All(kept.Entries.Values, e => Assert.Null(e.FirstRetrievedAt));
        var hits = store.IndexCache.Hits;
        var after = await SnapshotAsync(store);
        Assert.Equal(hits, store.IndexCache.Hits);
        Assert.Equal([settled[0].Uidl, settled[2].Uidl], after.Select(m => m.Uidl));
        Assert.NotNull(after[0].FirstRetrievedAt);
    }

    [Fact]
    public async Task A_kept_index_is_not_used_once_the_file_was_replaced_or_below_the_threshold()
    {
        await SettledMailboxAsync();
        var cache = new MaildirIndexCache(minimumEntries: 1);
        var first = await MaildirIndexFile.LoadAsync(_fixture.Maildir, cache, CancellationToken.None);
        Assert.Same(first, await MaildirIndexFile.LoadAsync(_fixture.Maildir, cache, CancellationToken.None));

        // Another writer's index (the same bytes, a new file renamed over it, as every write is) is read again.
        var copy = _fixture.IndexPath + ".new";
        File.Copy(_fixture.IndexPath, copy);
        File.Move(copy, _fixture.IndexPath, overwrite: true);
        var reread = await MaildirIndexFile.LoadAsync(_fixture.Maildir, cache, CancellationToken.None);
        Assert.NotSame(first, reread);
        Assert.Equal(first.Ordered, reread.Ordered);

        var small = new MaildirIndexCache(minimumEntries: 4);
        var once = await MaildirIndexFile.LoadAsync(_fixture.Maildir, small, CancellationToken.None);
        Assert.NotSame(once, await MaildirIndexFile.LoadAsync(_fixture.Maildir, small, CancellationToken.None));
        Assert.Equal(0, small.Hits);
    }

    private static async Task<IReadOnlyList<MessageInfo>> SnapshotAsync(MaildirStore store)
    {
        await using var maildrop = await store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);
        return maildrop.Messages;
    }

    /// <summary>Three messages (one without a size in its name), directories aged, and the index written with their stamps.</summary>
    private async Task<IReadOnlyList<MessageInfo>> SettledMailboxAsync()
    {
        await _fixture.DeliverAsync("Subject: a\n\nbody\n");
        _fixture.WriteForeign("new", "1700000000.V801I2a3M123456.mx.example", "Subject: postfix\n\nbody\n");
        await _fixture.DeliverAsync("Subject: b\n\nbody\n");
        await _fixture.SnapshotAsync();
        var anHourAgo = DateTime.UtcNow.AddHours(-1);
        Directory.SetLastWriteTimeUtc(_fixture.New, anHourAgo);
        Directory.SetLastWriteTimeUtc(_fixture.Cur, anHourAgo);

        // This login lists the aged directories and records their stamps; the next one can trust them.
        return await _fixture.SnapshotAsync();
    }
}
