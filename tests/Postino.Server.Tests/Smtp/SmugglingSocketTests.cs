using System.Net.Sockets;
using System.Text;
using Postino.Server.Tests.Delivery;

namespace Postino.Server.Tests.Smtp;

/// <summary>
/// SMTP smuggling over real sockets: one DATA holding <c>&lt;LF&gt;.&lt;LF&gt;</c> followed by a forged second
/// transaction. The forged message must never be delivered, the first is refused with 550, and the same connection
/// then delivers a clean message.
/// </summary>
public sealed class SmugglingSocketTests
{
    private const string Smuggled =
        "Subject: first\r\n\r\nbody\n.\nMAIL FROM:<ceo@bank.test>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n" +
        "Subject: forged\r\n\r\npay now\r\n.\r\n";

    [Theory]
    [InlineData("EHLO")]
    [InlineData("LHLO")]
    public async Task The_smuggled_second_message_is_not_delivered(string hello)
    {
        await using var host = await MailTransferTestHost.StartAsync();
        var port = hello == "LHLO" ? host.LmtpPort : host.SmtpPort;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var stream = tcp.GetStream();
        using var replies = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);

        await ExpectAsync(replies, "220");
        await SendAsync(stream, $"{hello} client.test\r\n");
        await ExpectAsync(replies, "250");
        await SendAsync(stream, "MAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n");
        await ExpectAsync(replies, "250");
        await ExpectAsync(replies, "250");
        await ExpectAsync(replies, "354");
        await SendAsync(stream, Smuggled);
        var refusal = await ExpectAsync(replies, "550");
        Assert.Contains("bare <LF>", refusal, StringComparison.Ordinal);

        await SendAsync(stream, "MAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n");
        await ExpectAsync(replies, "250");
        await ExpectAsync(replies, "250");
        await ExpectAsync(replies, "354");
        await SendAsync(stream, "Subject: clean\r\n\r\nok\r\n.\r\nQUIT\r\n");
        await ExpectAsync(replies, "250");
        await ExpectAsync(replies, "221");

        var delivered = ((MemoryMailStore)host.Store).Deliveries.Select(d => Encoding.ASCII.GetString(d.Message)).ToList();
        var only = Assert.Single(delivered);
        Assert.Contains("Subject: clean", only, StringComparison.Ordinal);
        Assert.DoesNotContain("ceo@bank.test", only, StringComparison.Ordinal);
    }

    private static Task SendAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    /// <summary>Reads one whole reply; returns its last line, which must start with <paramref name="code"/>.</summary>
    private static async Task<string> ExpectAsync(StreamReader replies, string code)
    {
        while (true)
        {
            var line = await replies.ReadLineAsync() ?? throw new IOException("connection closed");
            Assert.StartsWith(code, line, StringComparison.Ordinal);
            if (line.Length < 4 || line[3] == ' ')
            {
                return line;
            }
        }
    }
}
