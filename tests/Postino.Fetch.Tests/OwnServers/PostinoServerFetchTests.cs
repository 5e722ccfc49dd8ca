using Microsoft.Extensions.Time.Testing;
using Postino.Fetch.Destinations;
using Postino.Fetch.Fetching;
using Postino.Fetch.Tests.Fetching;
using Postino.Fetch.Tests.Support;

namespace Postino.Fetch.Tests.OwnServers;

/// <summary>The fetcher against Postino's own POP3 and POP2 servers: both modes and keep-days.</summary>
public sealed class PostinoServerFetchTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private PostinoTestServer? _server;

    private PostinoTestServer Server => _server!;

    public async Task InitializeAsync()
    {
        _server = await PostinoTestServer.StartAsync(_dir.Combine("data"));
        for (var i = 1; i <= 3; i++)
        {
            await Server.DeliverAsync(Pop3FetcherTests.Message(i));
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public void Dispose() => _dir.Dispose();

    private string MaildirPath => _dir.Combine("Fetched");

    private FetchAccount Account(MailProtocol protocol, FetchMode mode) => new()
    {
        Name = $"{protocol}",
        Protocol = protocol,
        Host = "127.0.0.1",
        Port = protocol == MailProtocol.Pop2 ? Server.Pop2Port : Server.Pop3Port,
        User = PostinoTestServer.User,
        Password = _ => Task.FromResult(PostinoTestServer.Password),
        Mode = mode,
        StatePath = _dir.Combine($"{protocol}.json"),
        Destination = new MaildirDestination(MaildirPath),
    };

    private static Fetcher NewFetcher(TimeProvider? time = null) =>
        new(new FetchOptions { TimeProvider = time ?? TimeProvider.System, RetryDelays = [] });

    private static List<string> Expected(params int[] numbers) => numbers.Select(Pop3FetcherTests.Message).Order(StringComparer.Ordinal).ToList();

    private static void AssertSuccess(FetchResult result) =>
        Assert.True(result.Outcome == FetchOutcome.Success, $"{result.Outcome}: {result.Message}");

    [Theory]
    [InlineData(MailProtocol.Pop3)]
    [InlineData(MailProtocol.Pop2)]
    public async Task Keep_mode_downloads_once_and_leaves_the_mail(MailProtocol protocol)
    {
        var first = await NewFetcher().FetchAsync(Account(protocol, FetchMode.Keep), CancellationToken.None);
        var second = await NewFetcher().FetchAsync(Account(protocol, FetchMode.Keep), CancellationToken.None);

        AssertSuccess(first);
        AssertSuccess(second);
        Assert.Equal((3, 0, 3), (first.Downloaded, second.Downloaded, second.AlreadyDownloaded));
        Assert.Equal(Expected(1, 2, 3), MaildirContents.Read(MaildirPath));
        Assert.Equal(3, await Server.CountAsync());
    }

    [Theory]
    [InlineData(MailProtocol.Pop3)]
    [InlineData(MailProtocol.Pop2)]
    public async Task Delete_mode_empties_the_mailbox(MailProtocol protocol)
    {
        var result = await NewFetcher().FetchAsync(Account(protocol, FetchMode.Delete), CancellationToken.None);

        AssertSuccess(result);
        Assert.Equal((3, 3), (result.Downloaded, result.Deleted));
        Assert.Equal(Expected(1, 2, 3), MaildirContents.Read(MaildirPath));
        Assert.Equal(0, await Server.CountAsync());
    }

    [Theory]
    [InlineData(MailProtocol.Pop3)]
    [InlineData(MailProtocol.Pop2)]
    public async Task Keep_days_deletes_what_was_first_downloaded_long_enough_ago(MailProtocol protocol)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));
        var account = Account(protocol, FetchMode.KeepDays) with { KeepDays = 2 };

        var day0 = await NewFetcher(clock).FetchAsync(account, CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(1));
        await Server.DeliverAsync(Pop3FetcherTests.Message(4));
        var day1 = await NewFetcher(clock).FetchAsync(account, CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(1));
        var day2 = await NewFetcher(clock).FetchAsync(account, CancellationToken.None);

        AssertSuccess(day2);
        Assert.Equal((3, 0), (day0.Downloaded, day0.Deleted));
        Assert.Equal((1, 0), (day1.Downloaded, day1.Deleted));
        Assert.Equal((0, 3), (day2.Downloaded, day2.Deleted));
        Assert.Equal(1, await Server.CountAsync());
        Assert.Equal(Expected(1, 2, 3, 4), MaildirContents.Read(MaildirPath));
    }
}
