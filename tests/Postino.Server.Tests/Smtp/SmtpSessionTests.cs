using System.IO.Pipelines;
using System.Net;
using System.Text;
using Postino.Server.Smtp;
using Postino.Server.Tests.Delivery;

namespace Postino.Server.Tests.Smtp;

public sealed class SmtpSessionTests
{
    [Fact]
    public async Task Adds_return_path_and_received_headers()
    {
        await using var harness = new SessionHarness(MailTransferDialect.Smtp) { Remote = new IPEndPoint(IPAddress.Parse("192.0.2.7"), 40000) };
        harness.Start();
        await harness.SendAsync("EHLO client.test\r\nMAIL FROM:<s@remote.test>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\nSubject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n");

        await harness.ReadToEndAsync();

        var (user, message) = Assert.Single(harness.Store.Deliveries);
        Assert.Equal("alice", user);
        Assert.Equal(
            "Return-Path: <s@remote.test>\r\n" +
            "Received: from client.test ([192.0.2.7])\r\n\tby mx.test (Postino) with ESMTP\r\n\tfor <alice@example.org>; Fri, 27 Nov 2026 12:00:00 +0000\r\n" +
            "Subject: x\r\n\r\nbody\r\n",
            Encoding.UTF8.GetString(message));
    }

    [Fact]
    public async Task Helo_and_smtputf8_show_in_the_received_protocol()
    {
        await using var harness = new SessionHarness(MailTransferDialect.Smtp);
        harness.Start();
        await harness.SendAsync(
            "HELO old.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.org>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\nx\r\n.\r\n" +
            "EHLO new.test\r\nMAIL FROM:<a@b.test> SMTPUTF8\r\nRCPT TO:<alice@example.org>\r\nDATA\r\ny\r\n.\r\nQUIT\r\n");

        await harness.ReadToEndAsync();

        var messages = harness.Store.Deliveries.Select(d => Encoding.UTF8.GetString(d.Message)).ToList();
        Assert.Equal(3, messages.Count);
        Assert.Contains("Received: from old.test\r\n\tby mx.test (Postino) with SMTP; ", messages[0], StringComparison.Ordinal);
        Assert.Contains("with UTF8SMTP\r\n\tfor <alice@example.org>;", messages[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starttls_is_offered_with_a_certificate_and_drops_pipelined_plaintext()
    {
        var upgrade = new RecordingUpgrade();
        await using var harness = new SessionHarness(MailTransferDialect.Smtp) { StartTls = upgrade };
        harness.Start();
        await harness.ReadReplyAsync();
        await harness.SendAsync("EHLO c.test\r\n");
        Assert.Contains("250-SMTPUTF8\r\n250 STARTTLS\r\n", await harness.ReadReplyAsync(), StringComparison.Ordinal);

        await harness.SendAsync("STARTTLS\r\nMAIL FROM:<injected@evil.test>\r\n");
        Assert.Equal("220 2.0.0 Ready to start TLS\r\n", await harness.ReadReplyAsync());

        await harness.SendAsync("MAIL FROM:<a@b.test>\r\nEHLO c.test\r\nSTARTTLS\r\nQUIT\r\n");
        var after = await harness.ReadToEndAsync();

        Assert.Equal(1, upgrade.Upgrades);
        Assert.StartsWith("503 5.5.1 Say hello first\r\n250-mx.test greets c.test\r\n", after, StringComparison.Ordinal);
        Assert.DoesNotContain("STARTTLS\r\n", after, StringComparison.Ordinal);
        Assert.EndsWith("503 5.5.1 TLS already active\r\n221 2.0.0 Bye\r\n", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task International_recipient_is_accepted_with_smtputf8()
    {
        await using var harness = new SessionHarness(MailTransferDialect.Smtp) { Users = new MemoryUserDirectory("jürgen") };
        harness.Start();
        await harness.SendAsync("EHLO c\r\nMAIL FROM:<ü@b.test> SMTPUTF8\r\nRCPT TO:<jürgen@example.org>\r\nDATA\r\nhallo\r\n.\r\nQUIT\r\n");

        var transcript = await harness.ReadToEndAsync();

        Assert.Contains("250 2.0.0 Ok: delivered\r\n", transcript, StringComparison.Ordinal);
        Assert.Equal("jürgen", Assert.Single(harness.Store.Deliveries).User);
    }

    /// <summary>Stands in for TLS: hands the same pipe back, counting upgrades.</summary>
    private sealed class RecordingUpgrade : IStartTlsUpgrade
    {
        public int Upgrades { get; private set; }

        public bool IsAvailable => true;

        public ValueTask<IDuplexPipe> UpgradeAsync(IDuplexPipe transport, CancellationToken cancellationToken)
        {
            Upgrades++;
            return ValueTask.FromResult(transport);
        }
    }
}
