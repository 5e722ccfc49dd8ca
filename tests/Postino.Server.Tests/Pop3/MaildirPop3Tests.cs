using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Postino.Server.Pop3;
using Postino.Server.Tests.Fakes;
using Postino.Storage;
using Postino.Storage.Maildir;

namespace Postino.Server.Tests.Pop3;

/// <summary>The POP3 session against the real Maildir store, with mail dropped in new/ as Postfix or procmail would.</summary>
public sealed class MaildirPop3Tests : IDisposable
{
    private const string Password = "maildir pw";
    private readonly TempDirectory _data = new("postino-pop3-");

    private string Maildir => Path.Combine(_data.Path, "mail", "alice", "Maildir");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Foreign_mail_is_served_deleted_at_quit_and_uidls_stay_stable()
    {
        DropForeign("1700000001.M1P1.mx", "From: a@example.org\nSubject: one\n\n.dot line\nlast");
        DropForeign("1700000002.M2P2.mx", "From: b@example.org\r\nSubject: two\r\n\r\nbody\r\n");
        DropForeign("1700000003.M3P3.mx", "From: c@example.org\nSubject: three\n\nthird\n");

        var first = await SessionAsync("UIDL\r\nSTAT\r\nLIST\r\nRETR 1\r\nTOP 3 0\r\nDELE 2\r\nQUIT\r\n");
        var uidls = UidlLines(first);

        Assert.Equal(3, uidls.Count);
        Assert.All(uidls, u => Assert.Matches("^[\x21-\x7e]{1,70}$", u));
        Assert.Contains("+OK 3 143\r\n", first, StringComparison.Ordinal);
        Assert.Contains("+OK 3 messages (143 octets)\r\n1 54\r\n2 43\r\n3 46\r\n.\r\n", first, StringComparison.Ordinal);
        Assert.Contains(
            "+OK 54 octets\r\nFrom: a@example.org\r\nSubject: one\r\n\r\n..dot line\r\nlast\r\n.\r\n",
            first,
            StringComparison.Ordinal);
        Assert.Contains("+OK Top of message follows\r\nFrom: c@example.org\r\nSubject: three\r\n\r\n.\r\n", first, StringComparison.Ordinal);
        Assert.EndsWith("+OK test.example POP3 server signing off, 1 messages deleted\r\n", first, StringComparison.Ordinal);
        Assert.Equal(2, MessageFiles().Length);

        var second = await SessionAsync("UIDL\r\nSTAT\r\nQUIT\r\n");

        Assert.Equal([uidls[0], uidls[2]], UidlLines(second));
        Assert.Contains("+OK 2 100\r\n", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disconnect_without_quit_deletes_nothing_and_releases_the_lock()
    {
        DropForeign("1700000001.M1P1.mx", "Subject: one\n\nx\n");

        await SessionAsync("DELE 1\r\n", quit: false);
        var again = await SessionAsync("STAT\r\nQUIT\r\n");

        Assert.Contains("+OK 1 19\r\n", again, StringComparison.Ordinal);
        Assert.Single(MessageFiles());
    }

    [Fact]
    public async Task A_second_session_on_the_same_mailbox_gets_in_use()
    {
        DropForeign("1700000001.M1P1.mx", "Subject: one\n\nx\n");
        await using var host = NewHost();
        var holder = await Pop3SessionTestsLogin(host);

        var second = host.Connect();
        await second.ReadLineAsync();
        await second.SendAsync($"USER alice\r\nPASS {Password}\r\n");
        await second.ReadLineAsync();

        Assert.Equal("-ERR [IN-USE] Mailbox is in use by another session\r\n", await second.ReadLineAsync());
        await holder.SendAsync("QUIT\r\n");
        await holder.ReadToEndAsync();
        await second.SendAsync($"USER alice\r\nPASS {Password}\r\n");
        await second.ReadLineAsync();
        Assert.StartsWith("+OK Logged in, maildrop has 1 messages", await second.ReadLineAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_has_read_the_quit_reply_can_open_the_mailbox_again_at_once()
    {
        DropForeign("1700000001.M1P1.mx", "Subject: one\n\nx\n");
        DropForeign("1700000002.M2P2.mx", "Subject: two\n\ny\n");
        await using var host = NewHost();
        var store = host.Services.GetRequiredService<IMailStore>();
        var scheduler = new HeldPipeScheduler();
        var connection = host.Connect(serverOutput: Pop3SessionTests.PausedOutput(scheduler));
        await connection.ReadLineAsync();
        await connection.SendAsync($"USER alice\r\nPASS {Password}\r\n");
        await connection.ReadLineAsync();
        Assert.StartsWith("+OK Logged in", await connection.ReadLineAsync(), StringComparison.Ordinal);

        // The session is still inside the flush of its QUIT reply (held) when the client has read it.
        scheduler.Hold();
        await connection.SendAsync("DELE 1\r\nQUIT\r\n");
        await connection.ReadLineAsync();
        Assert.StartsWith("+OK test.example POP3 server signing off, 1 messages deleted", await connection.ReadLineAsync(), StringComparison.Ordinal);

        await using (var again = await store.OpenAsync("alice", null, CancellationToken.None))
        {
            Assert.Single(again.Messages);
        }

        scheduler.Release();
        await connection.Completion;
        Assert.Equal(Pop3SessionEnd.Quit, connection.Session.End);
    }

    [Fact]
    public async Task Delivered_mail_is_retrieved_byte_for_byte_in_crlf_form()
    {
        await using var host = NewHost();
        var store = host.Services.GetRequiredService<IMailStore>();
        await store.DeliverAsync("alice", new MemoryStream("Subject: hi\n\n.\n..\nend"u8.ToArray()), CancellationToken.None);

        var connection = await Pop3SessionTestsLogin(host);
        await connection.SendAsync("RETR 1\r\nQUIT\r\n");
        var text = Encoding.Latin1.GetString(await connection.ReadToEndAsync());

        Assert.StartsWith("+OK 27 octets\r\nSubject: hi\r\n\r\n..\r\n...\r\nend\r\n.\r\n+OK", text, StringComparison.Ordinal);
    }

    private Pop3TestHost NewHost()
    {
        var host = new Pop3TestHost();
        host.AddUser("alice", Password);
        host.Configure = s => s.AddSingleton<IMailStore>(new MaildirStore(
            new MaildirStoreOptions { DataDirectory = _data.Path, HostName = "test.example" }, time: host.Time));
        return host;
    }

    private static async Task<Pop3TestConnection> Pop3SessionTestsLogin(Pop3TestHost host)
    {
        var connection = host.Connect();
        await connection.ReadLineAsync();
        await connection.SendAsync($"USER alice\r\nPASS {Password}\r\n");
        await connection.ReadLineAsync();
        Assert.StartsWith("+OK Logged in", await connection.ReadLineAsync(), StringComparison.Ordinal);
        return connection;
    }

    private async Task<string> SessionAsync(string commands, bool quit = true)
    {
        await using var host = NewHost();
        var connection = await Pop3SessionTestsLogin(host);
        await connection.SendAsync(commands);
        if (!quit)
        {
            connection.CloseInput();
        }

        var text = Encoding.Latin1.GetString(await connection.ReadToEndAsync());
        await connection.Completion;
        return text;
    }

    private void DropForeign(string name, string content)
    {
        foreach (var sub in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(Maildir, sub));
        }

        File.WriteAllText(Path.Combine(Maildir, "new", name), content);
    }

    private string[] MessageFiles() =>
        [.. Directory.GetFiles(Path.Combine(Maildir, "new")), .. Directory.GetFiles(Path.Combine(Maildir, "cur"))];

    private static List<string> UidlLines(string transcript)
    {
        var start = transcript.IndexOf("+OK Unique-ID listing follows\r\n", StringComparison.Ordinal);
        var end = transcript.IndexOf("\r\n.\r\n", start, StringComparison.Ordinal);
        return [.. transcript[start..end].Split("\r\n").Skip(1).Select(l => l.Split(' ')[1])];
    }
}
