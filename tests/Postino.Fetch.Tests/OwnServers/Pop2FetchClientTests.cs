using Postino.Fetch.Destinations;
using Postino.Fetch.Fetching;
using Postino.Fetch.Tests.Support;

namespace Postino.Fetch.Tests.OwnServers;

/// <summary><c>postino fetch</c>'s POP2 client against Postino's POP2 server, on the Maildir store, in keep and delete modes.</summary>
public sealed class Pop2FetchClientTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[][] Messages =
    [
        "From: a@example.org\r\nSubject: crlf\r\n\r\nbody\r\n"u8.ToArray(),
        "From: b@example.org\nSubject: lf\n\n.dot line\nbody\n"u8.ToArray(),
        "From: c@example.org\nSubject: 8bit\n\nGrüße, no final newline"u8.ToArray(),
    ];

    private readonly TempDirectory _work = new();
    private PostinoTestServer? _server;

    private PostinoTestServer Server => _server!;

    public async Task InitializeAsync() => _server = await PostinoTestServer.StartAsync(_work.Combine("data"));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Keep_mode_downloads_everything_once_and_leaves_the_mailbox_alone()
    {
        await DeliverAllAsync();
        var account = Account(FetchMode.Keep);

        var first = await new Fetcher(new FetchOptions()).FetchAsync(account, CancellationToken.None);
        var second = await new Fetcher(new FetchOptions()).FetchAsync(account, CancellationToken.None);

        Assert.Equal(FetchOutcome.Success, first.Outcome);
        Assert.Equal(3, first.Downloaded);
        Assert.Equal(0, first.Deleted);
        Assert.Equal(0, second.Downloaded);
        Assert.Equal(3, Directory.GetFiles(_work.Combine("out", "new")).Length);
        Assert.Equal(3, await Server.CountAsync("alice"));
    }

    [Fact]
    public async Task Delete_mode_downloads_everything_and_empties_the_mailbox_at_quit()
    {
        await DeliverAllAsync();

        var result = await new Fetcher(new FetchOptions()).FetchAsync(Account(FetchMode.Delete), CancellationToken.None);

        Assert.Equal(FetchOutcome.Success, result.Outcome);
        Assert.Equal(3, result.Downloaded);
        Assert.Equal(3, result.Deleted);
        Assert.Equal(0, await Server.CountAsync("alice"));
        var stored = Directory.GetFiles(_work.Combine("out", "new")).Select(File.ReadAllBytes).ToList();
        Assert.Equal(3, stored.Count);
        Assert.Contains(stored, bytes => bytes.AsSpan().IndexOf("Grüße, no final newline"u8) >= 0);
    }

    [Fact]
    public async Task A_password_with_a_backslash_and_a_space_logs_in_because_the_client_escapes_it()
    {
        const string password = @"C:\mail pass\";
        Server.Authenticator.AddUser("bob", password);
        await Server.DeliverAsync("bob", Messages[0]);

        var result = await new Fetcher(new FetchOptions()).FetchAsync(
            Account(FetchMode.Keep) with { User = "bob", Password = _ => Task.FromResult(password) }, CancellationToken.None);

        Assert.True(result.Outcome == FetchOutcome.Success, $"{result.Outcome}: {result.Message}");
        Assert.Equal(1, result.Downloaded);
        Assert.Contains(Server.Authenticator.Attempts, attempt => attempt.User == "bob" && attempt.Password == password);
    }

    private async Task DeliverAllAsync()
    {
        foreach (var message in Messages)
        {
            await Server.DeliverAsync("alice", message);
        }
    }

    private FetchAccount Account(FetchMode mode) => new()
    {
        Name = "alice@pop2",
        Protocol = MailProtocol.Pop2,
        Host = "127.0.0.1",
        Port = Server.Pop2Port,
        User = "alice",
        Password = _ => Task.FromResult("pass word"),
        Mode = mode,
        StatePath = _work.Combine("state"),
        Destination = new MaildirDestination(_work.Combine("out")),
    };
}
