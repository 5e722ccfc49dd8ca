using MailKit.Net.Pop3;
using MailKit.Security;

namespace Postino.Interop.Tests;

/// <summary>MailKit's Pop3Client against the real <c>postino serve</c> over a real socket.</summary>
public class MailKitPop3Tests
{
    private const string LfMessage = "From: a@example.org\nTo: demo@localhost\nSubject: lf\n\nline one\n.dot line\n";
    private const string CrlfMessage = "From: b@example.org\r\nTo: demo@localhost\r\nSubject: crlf\r\n\r\nbody\r\n";

    [Fact]
    public async Task Lists_retrieves_tops_deletes_and_commits_at_quit()
    {
        await using var server = await PostinoProcess.StartAsync();
        MaildirDrop.Put(server.DataDir, "demo", LfMessage);
        MaildirDrop.Put(server.DataDir, "demo", CrlfMessage);

        IList<string> uidsBefore;
        int lfIndex;
        using (var client = new Pop3Client())
        {
            await client.ConnectAsync("127.0.0.1", server.Port("pop3"), SecureSocketOptions.None);
            await client.AuthenticateAsync("demo", server.DemoPassword);
            Assert.Equal(3, client.Count);
            uidsBefore = await client.GetMessageUidsAsync();
            Assert.Equal(3, uidsBefore.Distinct().Count());

            // Foreign mail dropped in the same second has no defined order: find each message by its subject.
            var sizes = await client.GetMessageSizesAsync();
            var subjects = new List<string>();
            for (var index = 0; index < client.Count; index++)
            {
                subjects.Add((await client.GetMessageHeadersAsync(index))["Subject"] ?? "");
            }

            lfIndex = subjects.IndexOf("lf");
            var lf = await client.GetMessageAsync(lfIndex);
            Assert.Equal("lf", lf.Subject);
            Assert.Contains(".dot line", lf.TextBody, StringComparison.Ordinal);
            Assert.Equal(MaildirDrop.CrlfForm(LfMessage).Length, sizes[lfIndex]);
            Assert.Contains("crlf", subjects);

            await client.DeleteMessageAsync(lfIndex);
            await client.DisconnectAsync(quit: true);
        }

        using (var client = new Pop3Client())
        {
            await client.ConnectAsync("127.0.0.1", server.Port("pop3"), SecureSocketOptions.None);
            await client.AuthenticateAsync("demo", server.DemoPassword);
            Assert.Equal(2, client.Count);
            var uidsAfter = await client.GetMessageUidsAsync();
            Assert.Equal(uidsBefore.Where((_, index) => index != lfIndex), uidsAfter);
            await client.DisconnectAsync(quit: true);
        }
    }

    [Fact]
    public async Task A_disconnect_without_quit_deletes_nothing_and_a_second_login_is_in_use()
    {
        await using var server = await PostinoProcess.StartAsync();
        using var first = new Pop3Client();
        await first.ConnectAsync("127.0.0.1", server.Port("pop3"), SecureSocketOptions.None);
        await first.AuthenticateAsync("demo", server.DemoPassword);
        await first.DeleteMessageAsync(0);

        using (var second = await LineClient.ConnectAsync(server.Port("pop3")))
        {
            Assert.StartsWith("+OK", await second.ReadLineAsync(), StringComparison.Ordinal);
            Assert.StartsWith("+OK", await second.CommandAsync("USER demo"), StringComparison.Ordinal);
            Assert.StartsWith("-ERR [IN-USE]", await second.CommandAsync("PASS " + server.DemoPassword), StringComparison.Ordinal);
        }

        await first.DisconnectAsync(quit: false);

        using var third = new Pop3Client();
        await third.ConnectAsync("127.0.0.1", server.Port("pop3"), SecureSocketOptions.None);
        await third.AuthenticateAsync("demo", server.DemoPassword);
        Assert.Equal(1, third.Count);
        await third.DisconnectAsync(quit: true);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_the_auth_response_code()
    {
        await using var server = await PostinoProcess.StartAsync();
        using var client = new Pop3Client();
        await client.ConnectAsync("127.0.0.1", server.Port("pop3"), SecureSocketOptions.None);
        await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync("demo", "wrong password"));
    }
}
