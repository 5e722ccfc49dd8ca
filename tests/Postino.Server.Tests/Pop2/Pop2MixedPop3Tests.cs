using Postino.Server.Tests.Pop2.Fakes;
using Postino.Server.Tests.Pop2.Support;

namespace Postino.Server.Tests.Pop2;

/// <summary>POP3 and POP2 on one Maildir mailbox, through one Postino host: one lock, deletions seen by both.</summary>
public sealed class Pop2MixedPop3Tests : IDisposable
{
    private static readonly byte[] One = "From: a@example.org\nSubject: one\n\nfirst\n"u8.ToArray();
    private static readonly byte[] Two = "From: b@example.org\nSubject: two\n\nsecond message\n"u8.ToArray();

    private readonly MaildirFixture _maildir = new();
    private readonly FakePasswordAuthenticator _authenticator = new();

    public Pop2MixedPop3Tests()
    {
        _authenticator.AddUser("alice", "pw");
    }

    public void Dispose() => _maildir.Dispose();

    [Fact]
    public async Task A_pop3_session_locks_pop2_out_and_its_deletion_is_seen_by_pop2()
    {
        await _maildir.DeliverAsync("alice", One);
        await _maildir.DeliverAsync("alice", Two);
        await using var server = await Pop2TestServer.StartAsync(_maildir.Store, _authenticator, withPop3: true);

        await using (var pop3 = await Pop3LoginAsync(server))
        {
            await using (var pop2 = await Pop2ConnectAsync(server))
            {
                Assert.Equal("- Mailbox in use by another session, try again later", await pop2.CommandAsync("HELO alice pw"));
                Assert.True(await pop2.IsClosedAsync());
            }

            Assert.StartsWith("+OK", await pop3.CommandAsync("DELE 1"));
            Assert.StartsWith("+OK", await pop3.CommandAsync("QUIT"));
            Assert.True(await pop3.IsClosedAsync());
        }

        await using var after = await Pop2ConnectAsync(server);
        Assert.Equal("#1 messages in INBOX", await after.CommandAsync("HELO alice pw"));
        Assert.Equal("=53 octets in message 1", await after.CommandAsync("READ 1"));
        Assert.Equal("+ Postino POP2 server signing off", await after.CommandAsync("QUIT"));
    }

    [Fact]
    public async Task A_pop2_session_locks_pop3_out_and_its_ackd_is_seen_by_pop3_after_quit()
    {
        await _maildir.DeliverAsync("alice", One);
        await _maildir.DeliverAsync("alice", Two);
        await using var server = await Pop2TestServer.StartAsync(_maildir.Store, _authenticator, withPop3: true);

        await using (var pop2 = await Pop2ConnectAsync(server))
        {
            Assert.Equal("#2 messages in INBOX", await pop2.CommandAsync("HELO alice pw"));
            await using (var pop3 = await Pop3ConnectAsync(server))
            {
                Assert.StartsWith("+OK", await pop3.CommandAsync("USER alice"));
                Assert.StartsWith("-ERR [IN-USE]", await pop3.CommandAsync("PASS pw"));
            }

            Assert.Equal("=44 octets in message 1", await pop2.CommandAsync("READ 1"));
            await pop2.SendAsync("RETR");
            Assert.Equal(44, (await pop2.ReadOctetsAsync(44)).Length);
            Assert.Equal("=53 octets in message 2", await pop2.CommandAsync("ACKD"));
            Assert.Equal("+ Postino POP2 server signing off", await pop2.CommandAsync("QUIT"));
            Assert.True(await pop2.IsClosedAsync());
        }

        await using var again = await Pop3LoginAsync(server);
        Assert.Equal("+OK 1 53", await again.CommandAsync("STAT"));
        Assert.StartsWith("+OK", await again.CommandAsync("QUIT"));
    }

    private static async Task<Pop2TestClient> Pop2ConnectAsync(Pop2TestServer server)
    {
        var client = await Pop2TestClient.ConnectAsync("127.0.0.1", server.Port);
        Assert.StartsWith("+ POP2 ", await client.ReadLineAsync());
        return client;
    }

    private static async Task<Pop2TestClient> Pop3ConnectAsync(Pop2TestServer server)
    {
        var client = await Pop2TestClient.ConnectAsync("127.0.0.1", server.Pop3Port);
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        return client;
    }

    private static async Task<Pop2TestClient> Pop3LoginAsync(Pop2TestServer server)
    {
        var client = await Pop3ConnectAsync(server);
        Assert.StartsWith("+OK", await client.CommandAsync("USER alice"));
        Assert.StartsWith("+OK", await client.CommandAsync("PASS pw"));
        return client;
    }
}
