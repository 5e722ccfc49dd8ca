using Microsoft.Extensions.Time.Testing;
using Postino.Fetch.Destinations;
using Postino.Fetch.Fetching;
using Postino.Fetch.Tests.Support;

namespace Postino.Fetch.Tests.Fetching;

public sealed class Pop3FetcherTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeMailbox _mailbox = new();

    public Pop3FetcherTests()
    {
        for (var i = 1; i <= 3; i++)
        {
            _mailbox.Add(Message(i));
        }
    }

    public void Dispose() => _dir.Dispose();

    internal static string Message(int n) => $"From: sender{n}@example.org\nSubject: message {n}\n\n.leading dot\nFrom the body {n}\n";

    private string MaildirPath => _dir.Combine("Maildir");

    private FetchAccount Account(FakePop3Server server, FetchMode mode = FetchMode.Keep, IMessageDestination? destination = null) => new()
    {
        Name = "alice@test",
        Host = "127.0.0.1",
        Port = server.Port,
        User = server.User,
        Password = _ => Task.FromResult(server.Password),
        Mode = mode,
        StatePath = _dir.Combine("state", "alice.json"),
        Destination = destination ?? new MaildirDestination(MaildirPath),
    };

    private static Fetcher NewFetcher(TimeProvider? time = null, Func<FetchPoint, CancellationToken, Task>? fault = null) =>
        new(new FetchOptions { TimeProvider = time ?? TimeProvider.System, RetryDelays = [TimeSpan.Zero], FaultInjection = fault });

    private List<string> Expected(params int[] numbers) => numbers.Select(Message).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Keep_mode_downloads_once_and_leaves_mail_on_the_server()
    {
        await using var server = new FakePop3Server(_mailbox);
        var fetcher = NewFetcher();

        var first = await fetcher.FetchAsync(Account(server), CancellationToken.None);
        var second = await fetcher.FetchAsync(Account(server), CancellationToken.None);
        _mailbox.Add(Message(4));
        var third = await fetcher.FetchAsync(Account(server), CancellationToken.None);

        Assert.Equal(FetchOutcome.Success, first.Outcome);
        Assert.Equal(3, first.Downloaded);
        Assert.Equal(0, second.Downloaded);
        Assert.Equal(3, second.AlreadyDownloaded);
        Assert.Equal(1, third.Downloaded);
        Assert.Equal(4, server.Retrievals);
        Assert.Equal(4, _mailbox.Count);
        Assert.Equal(Expected(1, 2, 3, 4), MaildirContents.Read(MaildirPath));
    }

    [Fact]
    public async Task Delete_mode_stores_then_deletes_everything()
    {
        await using var server = new FakePop3Server(_mailbox);

        var result = await NewFetcher().FetchAsync(Account(server, FetchMode.Delete), CancellationToken.None);

        Assert.Equal(FetchOutcome.Success, result.Outcome);
        Assert.Equal(3, result.Downloaded);
        Assert.Equal(3, result.Deleted);
        Assert.Equal(0, _mailbox.Count);
        Assert.Equal(Expected(1, 2, 3), MaildirContents.Read(MaildirPath));
    }

    [Fact]
    public async Task Keep_days_deletes_only_messages_first_downloaded_more_than_n_days_ago()
    {
        await using var server = new FakePop3Server(_mailbox);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var account = Account(server, FetchMode.KeepDays) with { KeepDays = 7 };
        var fetcher = NewFetcher(clock);

        var day0 = await fetcher.FetchAsync(account, CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(6));
        _mailbox.Add(Message(4));
        var day6 = await fetcher.FetchAsync(account, CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(2));
        var day8 = await fetcher.FetchAsync(account, CancellationToken.None);

        Assert.Equal((3, 0), (day0.Downloaded, day0.Deleted));
        Assert.Equal((1, 0), (day6.Downloaded, day6.Deleted));
        Assert.Equal((0, 3), (day8.Downloaded, day8.Deleted));
        Assert.Equal(["uid0004"], _mailbox.Snapshot().Select(m => m.Uidl));
        Assert.Equal(Expected(1, 2, 3, 4), MaildirContents.Read(MaildirPath));
    }

    [Fact]
    public async Task All_downloads_again_what_was_already_downloaded()
    {
        await using var server = new FakePop3Server(_mailbox);
        var fetcher = NewFetcher();

        await fetcher.FetchAsync(Account(server), CancellationToken.None);
        var again = await fetcher.FetchAsync(Account(server) with { All = true }, CancellationToken.None);

        Assert.Equal(3, again.Downloaded);
        Assert.Equal(6, MaildirContents.Read(MaildirPath).Count);
    }

    [Theory]
    [InlineData(FetchPoint.Downloaded, FetchMode.Delete)]
    [InlineData(FetchPoint.PendingRecorded, FetchMode.Delete)]
    [InlineData(FetchPoint.Committed, FetchMode.Delete)]
    [InlineData(FetchPoint.StoredRecorded, FetchMode.Delete)]
    [InlineData(FetchPoint.BeforeQuit, FetchMode.Delete)]
    [InlineData(FetchPoint.PendingRecorded, FetchMode.Keep)]
    [InlineData(FetchPoint.Committed, FetchMode.Keep)]
    [InlineData(FetchPoint.BeforeQuit, FetchMode.Keep)]
    public async Task Crash_at_any_point_then_rerun_loses_nothing_and_duplicates_nothing(FetchPoint point, FetchMode mode)
    {
        await using var server = new FakePop3Server(_mailbox);
        var crashes = 0;
        var crashing = NewFetcher(fault: (p, _) => p == point && crashes++ == 0 ? throw new SimulatedCrash() : Task.CompletedTask);

        await Assert.ThrowsAsync<SimulatedCrash>(() => crashing.FetchAsync(Account(server, mode), CancellationToken.None));
        var rerun = await NewFetcher().FetchAsync(Account(server, mode), CancellationToken.None);

        Assert.Equal(FetchOutcome.Success, rerun.Outcome);
        Assert.Equal(Expected(1, 2, 3), MaildirContents.Read(MaildirPath));
        Assert.Equal(mode == FetchMode.Delete ? 0 : 3, _mailbox.Count);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(MaildirPath, "tmp")));
    }

    [Fact]
    public async Task Crash_after_an_mbox_append_is_recognised_by_the_mbox_tail()
    {
        await using var server = new FakePop3Server(_mailbox);
        var mboxPath = _dir.Combine("inbox.mbox");
        var crashes = 0;
        var crashing = NewFetcher(fault: (p, _) => p == FetchPoint.Committed && crashes++ == 1 ? throw new SimulatedCrash() : Task.CompletedTask);

        await Assert.ThrowsAsync<SimulatedCrash>(
            () => crashing.FetchAsync(Account(server, FetchMode.Delete, new MboxDestination(mboxPath)), CancellationToken.None));
        var rerun = await NewFetcher().FetchAsync(Account(server, FetchMode.Delete, new MboxDestination(mboxPath)), CancellationToken.None);

        Assert.Equal(1, rerun.Downloaded);
        var mbox = await File.ReadAllTextAsync(mboxPath);
        Assert.Equal(3, mbox.Split('\n').Count(l => l.StartsWith("From MAILER-DAEMON ", StringComparison.Ordinal)));
        Assert.Equal(3, mbox.Split('\n').Count(l => l.StartsWith(">From the body", StringComparison.Ordinal)));
        Assert.Equal(0, _mailbox.Count);
    }

    [Fact]
    public async Task Max_size_skips_big_messages_reports_their_header_and_leaves_them_on_the_server()
    {
        _mailbox.Add("From: big@example.org\nSubject: huge attachment\n\n" + new string('x', 5000) + "\n");
        await using var server = new FakePop3Server(_mailbox);

        var result = await NewFetcher().FetchAsync(Account(server, FetchMode.Delete) with { MaxSize = 1000 }, CancellationToken.None);

        var skipped = Assert.Single(result.Skipped);
        Assert.Equal(4, skipped.Msn);
        Assert.Contains("huge attachment", skipped.Summary, StringComparison.Ordinal);
        Assert.Contains("big@example.org", skipped.Summary, StringComparison.Ordinal);
        Assert.Equal(["uid0004"], _mailbox.Snapshot().Select(m => m.Uidl));
    }

    [Fact]
    public async Task Limit_downloads_at_most_n_per_run_and_the_rest_next_time()
    {
        await using var server = new FakePop3Server(_mailbox);
        var account = Account(server) with { Limit = 2 };

        var first = await NewFetcher().FetchAsync(account, CancellationToken.None);
        var second = await NewFetcher().FetchAsync(account, CancellationToken.None);

        Assert.Equal((2, 1), (first.Downloaded, first.LeftForLater));
        Assert.Equal((1, 0), (second.Downloaded, second.LeftForLater));
        Assert.Equal(Expected(1, 2, 3), MaildirContents.Read(MaildirPath));
    }

    [Theory]
    [InlineData("-ERR [IN-USE] Mailbox is locked")]
    [InlineData("-ERR [SYS/TEMP] Try again")]
    public async Task Temporary_refusals_are_retried(string refusal)
    {
        await using var server = new FakePop3Server(_mailbox);
        server.LoginRefusals.Enqueue(refusal);

        var result = await NewFetcher().FetchAsync(Account(server), CancellationToken.None);

        Assert.Equal(FetchOutcome.Success, result.Outcome);
        Assert.Equal(2, server.Sessions);
        Assert.Equal(3, result.Downloaded);
    }

    [Fact]
    public async Task Temporary_refusal_that_persists_ends_as_a_temporary_failure()
    {
        await using var server = new FakePop3Server(_mailbox);
        server.LoginRefusals.Enqueue("-ERR [IN-USE] locked");
        server.LoginRefusals.Enqueue("-ERR [IN-USE] still locked");

        var result = await NewFetcher().FetchAsync(Account(server), CancellationToken.None);

        Assert.Equal(FetchOutcome.TemporaryFailure, result.Outcome);
        Assert.Contains("IN-USE", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-ERR [AUTH] Authentication failed.", FetchOutcome.AuthenticationFailed)]
    [InlineData("-ERR [SYS/PERM] Your account is disabled", FetchOutcome.PermanentFailure)]
    [InlineData("-ERR [LOGIN-DELAY] Wait 5 minutes", FetchOutcome.LoginDelay)]
    public async Task Permanent_refusals_stop_the_account_without_retry(string refusal, FetchOutcome expected)
    {
        await using var server = new FakePop3Server(_mailbox);
        server.LoginRefusals.Enqueue(refusal);

        var result = await NewFetcher().FetchAsync(Account(server), CancellationToken.None);

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(1, server.Sessions);
        Assert.Equal(0, result.Downloaded);
    }

    [Fact]
    public async Task Server_without_uidl_is_deduplicated_by_content_and_identical_copies_are_both_kept()
    {
        _mailbox.Add(Message(3));
        await using var server = new FakePop3Server(_mailbox) { OfferUidl = false };

        var first = await NewFetcher().FetchAsync(Account(server), CancellationToken.None);
        var second = await NewFetcher().FetchAsync(Account(server), CancellationToken.None);

        Assert.Equal(4, first.Downloaded);
        Assert.Equal((0, 4), (second.Downloaded, second.AlreadyDownloaded));
        Assert.Equal(Expected(1, 2, 3, 3), MaildirContents.Read(MaildirPath));
    }

    [Fact]
    public async Task Failing_mda_keeps_the_message_on_the_server_in_delete_mode()
    {
        await using var server = new FakePop3Server(_mailbox);

        var result = await NewFetcher().FetchAsync(Account(server, FetchMode.Delete, new MdaDestination("cat >/dev/null; exit 3")), CancellationToken.None);

        Assert.Equal(FetchOutcome.DestinationFailure, result.Outcome);
        Assert.Contains("exited with 3", result.Message, StringComparison.Ordinal);
        Assert.Equal(3, _mailbox.Count);
    }

    [Fact]
    public async Task Mda_receives_each_message_with_lf_line_ends()
    {
        await using var server = new FakePop3Server(_mailbox);
        var output = _dir.Combine("mda-out");

        var result = await NewFetcher().FetchAsync(Account(server, FetchMode.Delete, new MdaDestination($"cat >> '{output}'")), CancellationToken.None);

        Assert.Equal(3, result.Downloaded);
        Assert.Equal(string.Concat(Enumerable.Range(1, 3).Select(Message)), await File.ReadAllTextAsync(output));
        Assert.Equal(0, _mailbox.Count);
    }

    [Fact]
    public async Task Second_fetch_of_the_same_account_while_one_runs_is_refused_by_the_state_lock()
    {
        await using var server = new FakePop3Server(_mailbox);
        FetchResult? inner = null;
        var nested = NewFetcher(fault: async (p, ct) =>
        {
            if (p == FetchPoint.BeforeQuit && inner is null)
            {
                inner = await NewFetcher().FetchAsync(Account(server), ct);
            }
        });

        await nested.FetchAsync(Account(server), CancellationToken.None);

        Assert.Equal(FetchOutcome.StateFailure, inner!.Outcome);
    }
}
