using Microsoft.Extensions.Logging;
using Postino.Storage.Retention;
using Postino.Storage.Tests.Maildir;

namespace Postino.Storage.Tests.Retention;

public sealed class RetentionSweeperTests : IDisposable
{
    private const string User = MaildirFixture.User;
    private readonly MaildirFixture _fixture = new();
    private readonly ListLogger<RetentionSweeper> _log = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Keep_days_removes_a_retrieved_message_n_days_after_its_first_retrieval_and_keeps_unretrieved_ones()
    {
        var retrieved = await _fixture.DeliverAsync("Subject: read\n\nbody\n");
        var unread = await _fixture.DeliverAsync("Subject: unread\n\nbody\n");
        _fixture.Time.Advance(TimeSpan.FromDays(1));
        await RetrieveAsync(0, quit: true);
        var sweeper = Sweeper(new RetentionRule(3, null));

        _fixture.Time.Advance(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1));
        var early = await sweeper.SweepAsync([User], dryRun: false, CancellationToken.None);
        _fixture.Time.Advance(TimeSpan.FromMinutes(1));
        var due = await sweeper.SweepAsync([User], dryRun: false, CancellationToken.None);

        Assert.Empty(early.Expired);
        var expired = Assert.Single(due.Expired);
        Assert.Equal(retrieved.Uidl, expired.Uidl);
        Assert.Equal(TimeSpan.FromDays(4), expired.Age);
        Assert.Equal([unread.Uidl], (await _fixture.SnapshotAsync()).Select(m => m.Uidl));
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Information && e.Message.Contains(retrieved.Uidl, StringComparison.Ordinal) && e.Message.Contains(User, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Top_and_sessions_without_quit_are_not_retrievals()
    {
        await _fixture.DeliverAsync("Subject: topped\n\nbody\n");
        await using (var maildrop = await _fixture.Store.OpenAsync(User, null, CancellationToken.None))
        {
            // TOP reads the message without MarkRetrieved; then the session commits (QUIT).
            await using (await maildrop.OpenMessageAsync(0, CancellationToken.None))
            {
            }

            await maildrop.CommitAsync(CancellationToken.None);
        }

        await RetrieveAsync(0, quit: false);
        _fixture.Time.Advance(TimeSpan.FromDays(365));
        var report = await Sweeper(new RetentionRule(0, null)).SweepAsync([User], dryRun: false, CancellationToken.None);

        Assert.Empty(report.Expired);
        Assert.Null(Assert.Single(await _fixture.SnapshotAsync()).FirstRetrievedAt);
    }

    [Fact]
    public async Task Max_age_removes_old_messages_retrieved_or_not()
    {
        await _fixture.DeliverAsync("Subject: old\n\nbody\n");
        await RetrieveAsync(0, quit: true);
        await _fixture.DeliverAsync("Subject: old unread\n\nbody\n");
        _fixture.Time.Advance(TimeSpan.FromDays(5));
        var young = await _fixture.DeliverAsync("Subject: young\n\nbody\n");
        _fixture.Time.Advance(TimeSpan.FromDays(5));

        var report = await Sweeper(new RetentionRule(null, 10)).SweepAsync([User], dryRun: false, CancellationToken.None);

        Assert.Equal(2, report.Expired.Count);
        Assert.Equal([young.Uidl], (await _fixture.SnapshotAsync()).Select(m => m.Uidl));
    }

    [Fact]
    public async Task Client_policy_never_removes_anything()
    {
        await _fixture.DeliverAsync("Subject: kept\n\nbody\n");
        await RetrieveAsync(0, quit: true);
        _fixture.Time.Advance(TimeSpan.FromDays(10_000));

        var report = await Sweeper(RetentionRule.ClientDecides).SweepAsync([User], dryRun: false, CancellationToken.None);

        Assert.Empty(report.Expired);
        Assert.Single(await _fixture.SnapshotAsync());
    }

    [Fact]
    public async Task Delete_on_retrieve_sweeps_messages_retrieved_before_the_policy_applied()
    {
        await _fixture.DeliverAsync("Subject: retrieved under client\n\nbody\n");
        await _fixture.DeliverAsync("Subject: never retrieved\n\nbody\n");
        await RetrieveAsync(0, quit: true);

        var report = await Sweeper(new RetentionRule(0, null)).SweepAsync([User], dryRun: false, CancellationToken.None);

        Assert.Equal("retrieved (delete-on-retrieve)", Assert.Single(report.Expired).Reason);
        Assert.Single(await _fixture.SnapshotAsync());
    }

    [Fact]
    public async Task A_mailbox_held_by_a_session_is_skipped_and_reported()
    {
        await _fixture.DeliverAsync("Subject: old\n\nbody\n");
        _fixture.Time.Advance(TimeSpan.FromDays(30));
        var sweeper = Sweeper(new RetentionRule(null, 7));

        RetentionSweepReport busy;
        await using (var session = await _fixture.Store.OpenAsync(User, null, CancellationToken.None))
        {
            busy = await sweeper.SweepAsync([User], dryRun: false, CancellationToken.None);
            Assert.Single(session.Messages);
        }

        var free = await sweeper.SweepAsync([User], dryRun: false, CancellationToken.None);

        Assert.Equal([User], busy.SkippedInUse);
        Assert.Empty(busy.Expired);
        Assert.Single(free.Expired);
        Assert.Empty(await _fixture.SnapshotAsync());
    }

    [Fact]
    public async Task Deliveries_during_a_sweep_are_all_kept()
    {
        for (var i = 0; i < 5; i++)
        {
            await _fixture.DeliverAsync($"Subject: old {i}\n\nbody\n");
        }

        _fixture.Time.Advance(TimeSpan.FromDays(30));
        var sweeper = Sweeper(new RetentionRule(null, 7));
        var during = new List<DeliveryResult>();
        sweeper.AfterSnapshot = async (user, cancellationToken) =>
        {
            for (var i = 0; i < 3; i++)
            {
                during.Add(await _fixture.DeliverAsync($"Subject: new {i}\n\nbody\n", user));
            }
        };

        var report = await sweeper.SweepAsync([User], dryRun: false, CancellationToken.None);

        Assert.Equal(5, report.Expired.Count);
        Assert.Equal(during.Select(d => d.Uidl), (await _fixture.SnapshotAsync()).Select(m => m.Uidl));
    }

    [Fact]
    public async Task A_dry_run_reports_and_changes_nothing()
    {
        await _fixture.DeliverAsync("Subject: old\n\nbody\n");
        _fixture.Time.Advance(TimeSpan.FromDays(30));

        var report = await Sweeper(new RetentionRule(null, 7)).SweepAsync([User], dryRun: true, CancellationToken.None);

        Assert.True(report.DryRun);
        Assert.Single(report.Expired);
        Assert.Single(await _fixture.SnapshotAsync());
        Assert.Contains(_log.Entries, e => e.Message.StartsWith("Would expire", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Users_without_a_mailbox_are_not_given_one()
    {
        var report = await Sweeper(new RetentionRule(null, 7)).SweepAsync(["nobody"], dryRun: false, CancellationToken.None);

        Assert.Equal(0, report.MailboxesSwept);
        Assert.False(Directory.Exists(Path.Combine(_fixture.DataDirectory, "mail", "nobody")));
    }

    private RetentionSweeper Sweeper(RetentionRule rule) =>
        new(_fixture.Store, new FixedRule(rule), _fixture.Time, _log);

    private async Task RetrieveAsync(int index, bool quit)
    {
        await using var maildrop = await _fixture.Store.OpenAsync(User, null, CancellationToken.None);
        await using (await maildrop.OpenMessageAsync(index, CancellationToken.None))
        {
        }

        maildrop.MarkRetrieved(index);
        if (quit)
        {
            await maildrop.CommitAsync(CancellationToken.None);
        }
    }

    private sealed class FixedRule(RetentionRule rule) : IRetentionRuleSource
    {
        public ValueTask<RetentionRule> GetRuleAsync(string user, CancellationToken cancellationToken) => ValueTask.FromResult(rule);
    }
}
