using Postino.Server.Hosting;
using Postino.Server.Tests.Pop2.Fakes;
using Postino.Server.Tests.Pop2.Support;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Pop2;

/// <summary>The POP2 listener over real TCP sockets, on the real Maildir store.</summary>
public sealed class Pop2SocketTests : IDisposable
{
    private static readonly byte[] One = "From: a@example.org\nSubject: one\n\nfirst\n"u8.ToArray();
    private static readonly byte[] Two = "From: b@example.org\nSubject: two\n\nsecond\n"u8.ToArray();
    private static readonly byte[] Archived = "From: c@example.org\nSubject: old\n\narchived\n"u8.ToArray();

    private readonly MaildirFixture _maildir = new();
    private readonly FakePasswordAuthenticator _authenticator = new();

    public Pop2SocketTests()
    {
        _authenticator.AddUser("alice", "pw");
    }

    public void Dispose() => _maildir.Dispose();

    [Fact]
    public async Task A_mailbox_held_by_another_session_is_refused_and_freed_when_that_session_ends()
    {
        await _maildir.DeliverAsync("alice", One);
        await using var server = await Pop2TestServer.StartAsync(_maildir.Store, _authenticator);
        var other = await _maildir.Store.OpenAsync("alice", null, CancellationToken.None);

        await using (var client = await ConnectAsync(server))
        {
            Assert.Equal("- Mailbox in use by another session, try again later", await client.CommandAsync("HELO alice pw"));
            Assert.True(await client.IsClosedAsync());
        }

        await other.DisposeAsync();
        await using var again = await ConnectAsync(server);
        Assert.Equal("#1 messages in INBOX", await again.CommandAsync("HELO alice pw"));
    }

    [Fact]
    public async Task While_pop2_holds_the_inbox_another_session_cannot_open_it()
    {
        await _maildir.DeliverAsync("alice", One);
        await using var server = await Pop2TestServer.StartAsync(_maildir.Store, _authenticator);
        await using var client = await ConnectAsync(server);

        Assert.Equal("#1 messages in INBOX", await client.CommandAsync("HELO alice pw"));

        await Assert.ThrowsAsync<Postino.Storage.MailboxInUseException>(
            async () => await _maildir.Store.OpenAsync("alice", "INBOX", CancellationToken.None));
    }

    [Fact]
    public async Task Deletions_in_inbox_and_a_subfolder_are_applied_at_quit_and_seen_by_the_next_session()
    {
        await _maildir.DeliverAsync("alice", One);
        await _maildir.DeliverAsync("alice", Two);
        await _maildir.CreateFolderAsync("alice", "Archive", Archived);
        await using var server = await Pop2TestServer.StartAsync(_maildir.Store, _authenticator);

        await using (var client = await ConnectAsync(server))
        {
            Assert.Equal("#2 messages in INBOX", await client.CommandAsync("HELO alice pw"));
            await RetrieveAndAckAsync(client, 1, "ACKD");
            Assert.Equal("#1 messages in Archive", await client.CommandAsync("FOLD Archive"));
            await RetrieveAndAckAsync(client, 1, "ACKD");
            Assert.Equal("#2 messages in INBOX", await client.CommandAsync("FOLD INBOX"));
            Assert.Equal("=0 message 1 is deleted", await client.CommandAsync("READ 1"));
            Assert.Equal("+ Postino POP2 server signing off", await client.CommandAsync("QUIT"));
            Assert.True(await client.IsClosedAsync());
        }

        Assert.Equal(1, await _maildir.CountAsync("alice"));
        Assert.Equal(0, await _maildir.CountAsync("alice", "Archive"));
    }

    [Fact]
    public async Task A_dropped_session_changes_nothing_in_either_folder()
    {
        await _maildir.DeliverAsync("alice", One);
        await _maildir.CreateFolderAsync("alice", "Archive", Archived);
        await using var server = await Pop2TestServer.StartAsync(_maildir.Store, _authenticator);

        await using (var client = await ConnectAsync(server))
        {
            await client.CommandAsync("HELO alice pw");
            await RetrieveAndAckAsync(client, 1, "ACKD");
            await client.CommandAsync("FOLD Archive");
            await RetrieveAndAckAsync(client, 1, "ACKD");
        }

        Assert.Equal(1, await _maildir.CountAsync("alice"));
        Assert.Equal(1, await _maildir.CountAsync("alice", "Archive"));
    }

    [Fact]
    public async Task Plaintext_login_from_an_untrusted_address_is_refused()
    {
        await using var server = await Pop2TestServer.StartAsync(_maildir.Store, _authenticator, plaintext: PlaintextAuthPolicy.TlsRequired);
        await using var client = await ConnectAsync(server);

        var reply = await client.CommandAsync("HELO alice pw");

        Assert.StartsWith("- Plaintext login refused", reply, StringComparison.Ordinal);
        Assert.True(await client.IsClosedAsync());
        Assert.Empty(_authenticator.Attempts);
    }

    [Fact]
    public async Task Connections_over_the_listener_cap_are_refused_and_a_slot_frees_when_a_session_ends()
    {
        var admission = new ConnectionAdmissionOptions { ConnectionsPerAddress = 1, TotalConnections = 10 };
        await using var server = await Pop2TestServer.StartAsync(_maildir.Store, _authenticator, admission: admission);

        await using (var first = await ConnectAsync(server))
        {
            await using var second = await Pop2TestClient.ConnectAsync("127.0.0.1", server.Port);
            Assert.Equal("- Too many connections, try again later", await second.ReadLineAsync());
            Assert.True(await second.IsClosedAsync());
            Assert.Equal("+ Postino POP2 server signing off", await first.CommandAsync("QUIT"));
            Assert.True(await first.IsClosedAsync());
        }

        await using var third = await ConnectAsync(server);
        Assert.Equal("#0 messages in INBOX", await third.CommandAsync("HELO alice pw"));
    }

    private static async Task<Pop2TestClient> ConnectAsync(Pop2TestServer server)
    {
        var client = await Pop2TestClient.ConnectAsync("127.0.0.1", server.Port);
        Assert.Equal("+ POP2 test.example Postino server ready", await client.ReadLineAsync());
        return client;
    }

    private static async Task RetrieveAndAckAsync(Pop2TestClient client, int msn, string ack)
    {
        var read = await client.CommandAsync($"READ {msn}");
        var length = long.Parse(read[1..read.IndexOf(' ', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(length > 0, read);
        await client.SendAsync("RETR");
        Assert.Equal(length, (await client.ReadOctetsAsync(length)).Length);
        Assert.StartsWith("=", await client.CommandAsync(ack), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_its_own_host_name_the_greeting_uses_the_servers()
    {
        await using var server = await Pop2TestServer.StartAsync(_maildir.Store, _authenticator, o => o.HostName = null);
        await using var client = await Pop2TestClient.ConnectAsync("127.0.0.1", server.Port);

        Assert.Equal("+ POP2 server.example Postino server ready", await client.ReadLineAsync());
    }

    [Fact]
    public async Task A_message_removed_by_another_program_gives_a_minus_and_a_close_before_any_data()
    {
        await _maildir.DeliverAsync("alice", One);
        await using var server = await Pop2TestServer.StartAsync(_maildir.Store, _authenticator);
        await using var client = await ConnectAsync(server);
        Assert.Equal("#1 messages in INBOX", await client.CommandAsync("HELO alice pw"));
        Assert.Equal("=44 octets in message 1", await client.CommandAsync("READ 1"));

        var root = await _maildir.Store.GetMaildirPathAsync("alice", CancellationToken.None);
        foreach (var file in new[] { "new", "cur" }.SelectMany(sub => Directory.GetFiles(Path.Combine(root, sub))))
        {
            File.Delete(file);
        }

        Assert.Equal("- Mail store failure, try again later", await client.CommandAsync("RETR"));
        Assert.True(await client.IsClosedAsync());
    }
}
