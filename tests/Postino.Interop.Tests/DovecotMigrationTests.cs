using System.Globalization;
using Postino.Fetch.Tests.Dovecot;

namespace Postino.Interop.Tests;

/// <summary>
/// Issue 13 part 3 end to end: a real POP3 client (mpop, with its UID file, keeping mail on the server) fetches from a
/// private Dovecot, the mailbox is moved with <c>postino import dovecot</c>, and the same client with the same UID file
/// pointed at Postino fetches nothing; one new delivery to Postino over LMTP is then fetched exactly once.
/// </summary>
public sealed class DovecotMigrationTests(DovecotServer dovecot) : IClassFixture<DovecotServer>
{
    private const int Messages = 5;

    [Fact]
    public async Task A_client_keeping_mail_fetches_nothing_again_after_the_import_and_then_only_the_new_delivery()
    {
        var user = dovecot.TakeUser();
        for (var n = 1; n <= Messages; n++)
        {
            await dovecot.DeliverAsync(user, $"From: a@b.test\nSubject: old {n}\n\nbody {n}\n");
        }

        var work = Directory.CreateTempSubdirectory("postino-migrate-").FullName;
        try
        {
            var client = new MpopClient(work, user, DovecotServer.Password);
            Assert.Equal(Messages, await client.FetchNewAsync(dovecot.Pop3Port));
            Assert.Equal(0, await client.FetchNewAsync(dovecot.Pop3Port));

            await using var postino = await PostinoProcess.StartAsync();
            string[] import = ["import", "dovecot", "--users", Path.Combine(dovecot.Directory, "users"), "--mail-root", Path.Combine(dovecot.Directory, "home"), "--data-dir", postino.DataDir, user];
            var first = await RunPostinoAsync(import);
            Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
            Assert.Contains($"{user}: {Messages} message(s) imported", first.Stdout, StringComparison.Ordinal);
            Assert.Contains("imported 1 user(s) and 5 message(s)", first.Stdout, StringComparison.Ordinal);

            var again = await RunPostinoAsync(import);
            Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
            Assert.Contains("nothing new to import", again.Stdout, StringComparison.Ordinal);

            // Dovecot's data is only read: its uidlist and files are as they were.
            Assert.DoesNotContain("postino", string.Join(' ', Directory.GetFiles(dovecot.MaildirOf(user))), StringComparison.Ordinal);

            var pop3 = postino.Port("pop3");
            Assert.Equal(0, await client.FetchNewAsync(pop3));

            await DeliverOverLmtpAsync(postino.Port("lmtp"), user);
            Assert.Equal(1, await client.FetchNewAsync(pop3));
            Assert.Equal(0, await client.FetchNewAsync(pop3));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static Task<ProgramResult> RunPostinoAsync(string[] args) =>
        PostinoProcess.RunAsync(args);

    private static async Task DeliverOverLmtpAsync(int port, string user)
    {
        using var lmtp = await LineClient.ConnectAsync(port);
        await lmtp.ReadLineAsync();
        await lmtp.CommandAsync("LHLO test");
        while (!(await lmtp.ReadLineAsync()).StartsWith("250 ", StringComparison.Ordinal))
        {
        }

        Assert.StartsWith("250", await lmtp.CommandAsync("MAIL FROM:<a@b.test>"), StringComparison.Ordinal);
        Assert.StartsWith("250", await lmtp.CommandAsync($"RCPT TO:<{user}@localhost>"), StringComparison.Ordinal);
        Assert.StartsWith("354", await lmtp.CommandAsync("DATA"), StringComparison.Ordinal);
        Assert.StartsWith("250", await lmtp.CommandAsync("Subject: new\r\n\r\nafter the move\r\n."), StringComparison.Ordinal);
    }

    /// <summary>mpop in keep mode with one UID file, delivering to a Maildir; counts what each run fetched.</summary>
    private sealed class MpopClient
    {
        private readonly string _work;
        private readonly string _user;
        private readonly string _inbox;

        public MpopClient(string work, string user, string password)
        {
            _work = work;
            _user = user;
            _inbox = Path.Combine(work, "inbox");
            foreach (var sub in new[] { "tmp", "new", "cur" })
            {
                Directory.CreateDirectory(Path.Combine(_inbox, sub));
            }

            File.WriteAllText(Path.Combine(work, "password"), password);
        }

        /// <summary>Runs mpop once against 127.0.0.1:<paramref name="port"/>; the number of messages it delivered.</summary>
        public async Task<int> FetchNewAsync(int port)
        {
            var before = Count();

            // The UID file is keyed by host name and user, so Dovecot's and Postino's on 127.0.0.1 share one list,
            // exactly as when a server is replaced behind the same name.
            var result = await ExternalProgram.RunAsync("mpop",
            [
                "--host=127.0.0.1", $"--port={port.ToString(CultureInfo.InvariantCulture)}", "--tls=off", "--auth=user",
                $"--user={_user}", $"--passwordeval=cat {Path.Combine(_work, "password")}", "--keep=on", "--only-new=on",
                $"--uidls-file={Path.Combine(_work, "uidls")}", $"--delivery=maildir,{_inbox}", "--quiet",
            ]);
            Assert.True(result.ExitCode == 0, $"mpop failed ({result.ExitCode}): {result.Stdout}{result.Stderr}");
            return Count() - before;
        }

        private int Count() => Directory.GetFiles(Path.Combine(_inbox, "new")).Length + Directory.GetFiles(Path.Combine(_inbox, "cur")).Length;
    }
}
