using System.Text;
using Postino.Server.Smtp;
using Postino.Server.Tests.Delivery;
using Postino.Server.Tests.Fakes;

namespace Postino.Server.Tests.Smtp;

/// <summary>Issue 10 section 6: HELO names that could inject headers, and unknown recipients delayed like failed logins.</summary>
public sealed class SmtpHardeningTests
{
    [Theory]
    [InlineData("EHLO evil\rX-Injected:\tyes\r\n")]
    [InlineData("EHLO nul\0byte\r\n")]
    [InlineData("HELO a\rb\r\n")]
    public async Task A_hello_name_with_control_characters_is_refused_and_never_echoed(string hello)
    {
        await using var harness = new SessionHarness(MailTransferDialect.Smtp);
        harness.Start();
        await harness.SendAsync(hello + "MAIL FROM:<a@b.test>\r\nQUIT\r\n");

        var transcript = await harness.ReadToEndAsync();

        Assert.Equal(
            "220 mx.test Postino ESMTP ready\r\n501 5.5.2 Syntax: EHLO/HELO/LHLO needs a domain or an address literal\r\n" +
            "503 5.5.1 Say hello first\r\n221 2.0.0 Bye\r\n",
            transcript);
    }

    [Fact]
    public async Task Unknown_recipients_wait_like_failed_logins_and_the_wait_doubles()
    {
        var time = new TimerWatchingTimeProvider(SessionHarness.StartTime);
        await using var harness = new SessionHarness(MailTransferDialect.Smtp) { Time = time };
        harness.Options.UnknownRecipientDelay = TimeSpan.FromSeconds(2);
        harness.Options.UnknownRecipientMaxDelay = TimeSpan.FromSeconds(3);
        harness.Start();
        await harness.ReadReplyAsync();
        await harness.SendAsync("EHLO c.test\r\nMAIL FROM:<a@b.test>\r\n");
        await harness.ReadReplyAsync();
        await harness.ReadReplyAsync();

        foreach (var expected in new[] { 2, 3, 3 })
        {
            var waiting = time.TimerStarted(TimeSpan.FromSeconds(expected));
            await harness.SendAsync("RCPT TO:<nobody@example.org>\r\n");
            await waiting;
            Assert.False(harness.Server.TryRead(out _), "the 550 went out before the delay");
            time.Advance(TimeSpan.FromSeconds(expected));
            Assert.Equal("550 5.1.1 No such user here\r\n", await harness.ReadReplyAsync());
        }

        await harness.SendAsync("RCPT TO:<alice@example.org>\r\nQUIT\r\n");
        Assert.Equal("250 2.1.5 Recipient ok\r\n221 2.0.0 Bye\r\n", await harness.ReadToEndAsync());
    }

    [Fact]
    public async Task Lmtp_answers_unknown_recipients_at_once_by_default()
    {
        var time = new TimerWatchingTimeProvider(SessionHarness.StartTime);
        await using var harness = new SessionHarness(MailTransferDialect.Lmtp) { Time = time };
        harness.Options.UnknownRecipientDelay = TimeSpan.FromSeconds(2);
        harness.Start();
        await harness.SendAsync("LHLO mta.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<nobody@x.test>\r\nQUIT\r\n");

        var transcript = await harness.ReadToEndAsync();

        Assert.EndsWith("550 5.1.1 No such user here\r\n221 2.0.0 Bye\r\n", transcript, StringComparison.Ordinal);
        Assert.Equal(SessionHarness.StartTime, time.GetUtcNow());
    }

    [Fact]
    public async Task A_received_header_never_holds_a_control_character()
    {
        await using var harness = new SessionHarness(MailTransferDialect.Smtp);
        harness.Start();
        await harness.SendAsync("EHLO evil\rX-Injected: yes\r\nEHLO good.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\nx\r\n.\r\nQUIT\r\n");

        await harness.ReadToEndAsync();

        var message = Encoding.UTF8.GetString(Assert.Single(harness.Store.Deliveries).Message);
        var headers = message[..message.IndexOf("x\r\n", StringComparison.Ordinal)];
        Assert.DoesNotContain("X-Injected", headers, StringComparison.Ordinal);
        Assert.Contains("Received: from good.test", headers, StringComparison.Ordinal);
        Assert.DoesNotContain(headers.Replace("\r\n", string.Empty, StringComparison.Ordinal), c => c is '\r' or '\n' or '\0');
    }
}
