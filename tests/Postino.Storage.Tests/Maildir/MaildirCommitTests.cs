namespace Postino.Storage.Tests.Maildir;

public sealed class MaildirCommitTests : IDisposable
{
    private readonly MaildirFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Dispose_without_commit_deletes_and_records_nothing()
    {
        await _fixture.DeliverAsync("Subject: one\n\nbody\n");
        await _fixture.DeliverAsync("Subject: two\n\nbody\n");
        var before = await _fixture.SnapshotAsync();

        await using (var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None))
        {
            maildrop.MarkDeleted(0);
            maildrop.MarkRetrieved(1);
            Assert.True(maildrop.IsDeleted(0));
        }

        var after = await _fixture.SnapshotAsync();
        Assert.Equal(before, after);
        Assert.All(after, m => Assert.Null(m.FirstRetrievedAt));
        Assert.All(Directory.GetFiles(_fixture.Cur), f => Assert.EndsWith(":2,", f, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Commit_deletes_marked_messages_and_records_retrievals_with_the_seen_flag()
    {
        for (var i = 0; i < 4; i++)
        {
            await _fixture.DeliverAsync($"Subject: {i}\n\nbody\n");
        }

        var before = await _fixture.SnapshotAsync();
        _fixture.Time.Advance(TimeSpan.FromHours(3));
        await using (var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None))
        {
            maildrop.MarkDeleted(0);
            maildrop.MarkDeleted(3);
            maildrop.ClearDeletions();
            maildrop.MarkDeleted(1);
            maildrop.MarkRetrieved(2);
            maildrop.MarkRetrieved(1);
            await maildrop.CommitAsync(CancellationToken.None);
        }

        var after = await _fixture.SnapshotAsync();
        Assert.Equal(new[] { before[0].Uidl, before[2].Uidl, before[3].Uidl }, after.Select(m => m.Uidl));
        Assert.Equal(_fixture.Time.GetUtcNow(), after[1].FirstRetrievedAt);
        Assert.Null(after[0].FirstRetrievedAt);
        Assert.Single(Directory.GetFiles(_fixture.Cur), f => f.EndsWith(":2,S", StringComparison.Ordinal));
        Assert.Equal(3, Directory.GetFiles(_fixture.Cur).Length);
    }

    [Fact]
    public async Task The_first_retrieval_time_is_kept_on_later_retrievals()
    {
        await _fixture.DeliverAsync("Subject: one\n\nbody\n");
        var firstTime = _fixture.Time.GetUtcNow();
        await RetrieveAndQuitAsync();
        _fixture.Time.Advance(TimeSpan.FromDays(2));
        await RetrieveAndQuitAsync();

        Assert.Equal(firstTime, Assert.Single(await _fixture.SnapshotAsync()).FirstRetrievedAt);
    }

    [Fact]
    public async Task Commit_tolerates_messages_another_program_deleted_or_flagged()
    {
        await _fixture.DeliverAsync("Subject: one\n\nbody\n");
        await _fixture.DeliverAsync("Subject: two\n\nbody\n");
        await _fixture.SnapshotAsync();

        await using (var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None))
        {
            var files = Directory.GetFiles(_fixture.Cur).Order(StringComparer.Ordinal).ToArray();
            File.Delete(files.Single(f => Path.GetFileName(f).StartsWith(maildrop.Messages[0].StorageId, StringComparison.Ordinal)));
            var second = files.Single(f => Path.GetFileName(f).StartsWith(maildrop.Messages[1].StorageId, StringComparison.Ordinal));
            File.Move(second, second + "F");

            Assert.Contains("Subject: two", await MaildirFixture.ReadAllAsync(maildrop, 1), StringComparison.Ordinal);
            maildrop.MarkDeleted(0);
            maildrop.MarkDeleted(1);
            await maildrop.CommitAsync(CancellationToken.None);
        }

        Assert.Empty(Directory.GetFiles(_fixture.Cur));
        Assert.Empty(await _fixture.SnapshotAsync());
    }

    [Fact]
    public async Task Message_numbers_outside_the_snapshot_are_refused()
    {
        await _fixture.DeliverAsync("Subject: one\n\nbody\n");
        await using var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);

        Assert.Throws<ArgumentOutOfRangeException>(() => maildrop.MarkDeleted(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => maildrop.MarkRetrieved(-1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => maildrop.OpenMessageAsync(5, CancellationToken.None).AsTask());
    }

    private async Task RetrieveAndQuitAsync()
    {
        await using var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);
        maildrop.MarkRetrieved(0);
        await maildrop.CommitAsync(CancellationToken.None);
    }
}
