using Microsoft.Extensions.Time.Testing;
using Postino.Fetch.Destinations;
using Postino.Fetch.Fetching;
using Postino.Fetch.Tests.Support;

namespace Postino.Fetch.Tests.Fetching;

public sealed class Pop2FetcherTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeMailbox _mailbox = new();

    public Pop2FetcherTests()
    {
        for (var i = 1; i <= 3; i++)
        {
            _mailbox.Add(Pop3FetcherTests.Message(i));
        }
    }

    public void Dispose() => _dir.Dispose();

    private string MaildirPath => _dir.Combine("Maildir");

    private FetchAccount Account(FakePop2Server server, FetchMode mode = FetchMode.Keep) => new()
    {
        Name = "alice@pop2",
        Protocol = MailProtocol.Pop2,
        Host = "127.0.0.1",
        Port = server.Port,
        User = server.User,
        Password = _ => Task.FromResult(server.Password),
        Mode = mode,
        StatePath = _dir.Combine("pop2.json"),
        Destination = new MaildirDestination(MaildirPath),
    };

    private static Fetcher NewFetcher(TimeProvider? time = null, Func<FetchPoint, CancellationToken, Task>? fault = null) =>
        new(new FetchOptions { TimeProvider = time ?? TimeProvider.System, RetryDelays = [], FaultInjection = fault });

    private static List<string> Expected(params int[] numbers) => numbers.Select(Pop3FetcherTests.Message).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Keep_mode_acks_everything_and_recognises_messages_by_content_next_time()
    {
        await using var server = new FakePop2Server(_mailbox);

        var first = await NewFetcher().FetchAsync(Account(server), CancellationToken.None);
        _mailbox.Add(Pop3FetcherTests.Message(4));
        var second = await NewFetcher().FetchAsync(Account(server), CancellationToken.None);

        Assert.Equal((FetchOutcome.Success, 3), (first.Outcome, first.Downloaded));
        Assert.Equal((1, 3), (second.Downloaded, second.AlreadyDownloaded));
        Assert.Equal(7, server.Retrievals);
        Assert.Equal(4, _mailbox.Count);
        Assert.Equal(Expected(1, 2, 3, 4), MaildirContents.Read(MaildirPath));
    }

    [Fact]
    public async Task Delete_mode_ackds_only_after_storing_and_selects_the_folder()
    {
        await using var server = new FakePop2Server(_mailbox);

        var result = await NewFetcher().FetchAsync(Account(server, FetchMode.Delete) with { Pop2Folder = "archive" }, CancellationToken.None);

        Assert.Equal((FetchOutcome.Success, 3, 3), (result.Outcome, result.Downloaded, result.Deleted));
        Assert.Equal(["archive"], server.Folds);
        Assert.Equal(0, _mailbox.Count);
        Assert.Equal(Expected(1, 2, 3), MaildirContents.Read(MaildirPath));
    }

    [Fact]
    public async Task Keep_days_deletes_old_messages_with_ackd()
    {
        await using var server = new FakePop2Server(_mailbox);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var account = Account(server, FetchMode.KeepDays) with { KeepDays = 3 };

        var day0 = await NewFetcher(clock).FetchAsync(account, CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(3));
        var day3 = await NewFetcher(clock).FetchAsync(account, CancellationToken.None);

        Assert.Equal((3, 0), (day0.Downloaded, day0.Deleted));
        Assert.Equal((0, 3), (day3.Downloaded, day3.Deleted));
        Assert.Equal(0, _mailbox.Count);
    }

    [Theory]
    [InlineData(FetchPoint.Committed)]
    [InlineData(FetchPoint.StoredRecorded)]
    [InlineData(FetchPoint.BeforeQuit)]
    public async Task Crash_then_rerun_in_delete_mode_loses_and_duplicates_nothing(FetchPoint point)
    {
        await using var server = new FakePop2Server(_mailbox);
        var crashes = 0;
        var crashing = NewFetcher(fault: (p, _) => p == point && ++crashes == 1 ? throw new SimulatedCrash() : Task.CompletedTask);

        await Assert.ThrowsAsync<SimulatedCrash>(() => crashing.FetchAsync(Account(server, FetchMode.Delete), CancellationToken.None));
        var rerun = await NewFetcher().FetchAsync(Account(server, FetchMode.Delete), CancellationToken.None);

        Assert.Equal(FetchOutcome.Success, rerun.Outcome);
        Assert.Equal(Expected(1, 2, 3), MaildirContents.Read(MaildirPath));
        Assert.Equal(0, _mailbox.Count);
    }

    [Fact]
    public async Task Bad_login_stops_the_account()
    {
        await using var server = new FakePop2Server(_mailbox);

        var result = await NewFetcher().FetchAsync(Account(server) with { Password = _ => Task.FromResult("nope") }, CancellationToken.None);

        Assert.Equal(FetchOutcome.AuthenticationFailed, result.Outcome);
        Assert.Contains("Bad login", result.Message, StringComparison.Ordinal);
    }
}
