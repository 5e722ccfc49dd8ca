using Postino.Storage.Retention;
using Postino.Storage.Tests.Maildir;
using Postino.Storage.Users;

namespace Postino.Storage.Tests.Retention;

public sealed class DeleteOnRetrieveTests : IDisposable
{
    private readonly MaildirFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task A_commit_deletes_retrieved_messages_when_the_user_policy_says_so()
    {
        _fixture.Restart(retention: new DeletesRetrieved(true));
        await _fixture.DeliverAsync("Subject: retrieved\n\nbody\n");
        var topped = await _fixture.DeliverAsync("Subject: only topped\n\nbody\n");

        await using (var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None))
        {
            maildrop.MarkRetrieved(0);
            await maildrop.CommitAsync(CancellationToken.None);
        }

        Assert.Equal([topped.Uidl], (await _fixture.SnapshotAsync()).Select(m => m.Uidl));
    }

    [Fact]
    public async Task Without_quit_nothing_is_deleted()
    {
        _fixture.Restart(retention: new DeletesRetrieved(true));
        await _fixture.DeliverAsync("Subject: retrieved\n\nbody\n");

        await using (var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None))
        {
            maildrop.MarkRetrieved(0);
        }

        Assert.Single(await _fixture.SnapshotAsync());
    }

    [Fact]
    public async Task Other_policies_keep_retrieved_messages_at_commit()
    {
        _fixture.Restart(retention: new DeletesRetrieved(false));
        await _fixture.DeliverAsync("Subject: retrieved\n\nbody\n");

        await using (var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None))
        {
            maildrop.MarkRetrieved(0);
            await maildrop.CommitAsync(CancellationToken.None);
        }

        Assert.NotNull(Assert.Single(await _fixture.SnapshotAsync()).FirstRetrievedAt);
    }

    private sealed class DeletesRetrieved(bool value) : IRetentionAtCommit
    {
        public ValueTask<EffectiveRetention> ResolveAsync(string user, CancellationToken cancellationToken) =>
            ValueTask.FromResult(value ? new EffectiveRetention(RetentionPolicy.DeleteOnRetrieve, null) : EffectiveRetention.Client);
    }
}
