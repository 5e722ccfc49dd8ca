using System.Text;

namespace Postino.Server.Tests.Delivery;

/// <summary>
/// The whole path: a message delivered over LMTP into the real Maildir store comes back from POP3 RETR byte for
/// byte, in CRLF form, with the Return-Path the LMTP server put on top. (Bare LF data is refused since the SMTP
/// smuggling fix: see the lmtp transcript 10-bare-lf-and-dots.)
/// </summary>
public sealed class LmtpToPop3EndToEndTests
{
    [Fact]
    public async Task Lmtp_delivery_then_pop3_retr_returns_the_same_bytes()
    {
        await using var server = await MaildirServerHost.StartAsync();

        const string Crlf = "Subject: end to end\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n.a dot line\r\n\u00e0 \u00e8 8-bit\r\n\r\nlast\r\n";
        const string Second = "Subject: second\r\n\r\nline\r\n.dot\r\n";
        await using (var lmtp = await LineClient.ConnectLmtpAsync(server.LmtpPort))
        {
            await lmtp.SendMessageAsync("sender@remote.test", "alice@example.org", Stuff(Crlf));
            await lmtp.SendMessageAsync("sender@remote.test", "alice@example.org", Stuff(Second));
        }

        var messages = await server.RetrieveAllAsync("alice");

        Assert.Equal(
            ["Return-Path: <sender@remote.test>\r\n" + Crlf, "Return-Path: <sender@remote.test>\r\n" + Second],
            messages);
    }

    private static byte[] Stuff(string message) =>
        Encoding.UTF8.GetBytes(string.Join('\n', message.Split('\n').Select(line => line.StartsWith('.') ? "." + line : line)));
}
