using Postino.Fetch.Destinations;
using Postino.Fetch.Fetching;
using Postino.Server.Tests.Pop2.Fakes;
using Postino.Server.Tests.Pop2.Support;

namespace Postino.Server.Tests.Pop2;

/// <summary><c>postino fetch</c>'s POP2 client against this server, on the Maildir store, in keep and delete modes.</summary>
public sealed class Pop2FetchClientTests : IDisposable
{
    private static readonly byte[][] Messages =
    [
        "From: a@example.org\r\nSubject: crlf\r\n\r\nbody\r\n"u8.ToArray(),
        "From: b@example.org\nSubject: lf\n\n.dot line\nbody\n"u8.ToArray(),
        "From: c@example.org\nSubject: 8bit\n\nGrüße, no final newline"u8.ToArray(),
    ];

    private readonly MaildirFixture _maildir = new();
    private readonly FakePasswordAuthenticator _authenticator = new();
    private readonly string _work = Path.Combine(Path.GetTempPath(), "postino-pop2-fetch-" + Guid.NewGuid().ToString("N"));

    public Pop2FetchClientTests()
    {
        _authenticator.AddUser("alice", "pass word");
    }

    public void Dispose()
    {
        _maildir.Dispose();
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    [Fact]
    public async Task Keep_mode_downloads_everything_once_and_leaves_the_mailbox_alone()
    {
        await DeliverAllAsync();
        await using var server = await Pop2TestServer.StartAsync(_maildir.Store, _authenticator);
        var account = Account(server, FetchMode.Keep);

        var first = await new Fetcher(new FetchOptions()).FetchAsync(account, CancellationToken.None);
        var second = await new Fetcher(new FetchOptions()).FetchAsync(account, CancellationToken.None);

        Assert.Equal(FetchOutcome.Success, first.Outcome);
        Assert.Equal(3, first.Downloaded);
        Assert.Equal(0, first.Deleted);
        Assert.Equal(0, second.Downloaded);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(_work, "out", "new")).Length);
        Assert.Equal(3, await _maildir.CountAsync("alice"));
    }

    [Fact]
    public async Task Delete_mode_downloads_everything_and_empties_the_mailbox_at_quit()
    {
        await DeliverAllAsync();
        await using var server = await Pop2TestServer.StartAsync(_maildir.Store, _authenticator);

        var result = await new Fetcher(new FetchOptions()).FetchAsync(Account(server, FetchMode.Delete), CancellationToken.None);

        Assert.Equal(FetchOutcome.Success, result.Outcome);
        Assert.Equal(3, result.Downloaded);
        Assert.Equal(3, result.Deleted);
        Assert.Equal(0, await _maildir.CountAsync("alice"));
        var stored = Directory.GetFiles(Path.Combine(_work, "out", "new")).Select(File.ReadAllBytes).ToList();
        Assert.Equal(3, stored.Count);
        Assert.Contains(stored, bytes => bytes.AsSpan().IndexOf("Grüße, no final newline"u8) >= 0);
    }

    [Fact]
    public async Task A_password_with_a_backslash_and_a_space_logs_in_because_the_client_escapes_it()
    {
        const string password = @"C:\mail pass\";
        _authenticator.AddUser("bob", password);
        await _maildir.DeliverAsync("bob", Messages[0]);
        await using var server = await Pop2TestServer.StartAsync(_maildir.Store, _authenticator);

        var result = await new Fetcher(new FetchOptions()).FetchAsync(
            Account(server, FetchMode.Keep) with { User = "bob", Password = _ => Task.FromResult(password) }, CancellationToken.None);

        Assert.True(result.Outcome == FetchOutcome.Success, $"{result.Outcome}: {result.Message}");
        Assert.Equal(1, result.Downloaded);
        Assert.Contains(_authenticator.Attempts, attempt => attempt.User == "bob" && attempt.Password == password);
    }

    private async Task DeliverAllAsync()
    {
        foreach (var message in Messages)
        {
            await _maildir.DeliverAsync("alice", message);
        }
    }

    private FetchAccount Account(Pop2TestServer server, FetchMode mode) => new()
    {
        Name = "alice@pop2",
        Protocol = MailProtocol.Pop2,
        Host = "127.0.0.1",
        Port = server.Port,
        User = "alice",
        Password = _ => Task.FromResult("pass word"),
        Mode = mode,
        StatePath = Path.Combine(_work, "state"),
        Destination = new MaildirDestination(Path.Combine(_work, "out")),
    };
}
