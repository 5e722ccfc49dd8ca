using System.Text;
using Postino.Server.Smtp;
using Postino.Server.Tests.Delivery;

namespace Postino.Server.Tests.Lmtp;

public sealed class LmtpSessionTests
{
    [Fact]
    public async Task Each_recipient_gets_the_same_bytes_with_a_return_path_on_top()
    {
        await using var harness = new SessionHarness(MailTransferDialect.Lmtp);
        harness.Start();
        await harness.SendAsync(
            "LHLO mta\r\nMAIL FROM:<s@r.test>\r\nRCPT TO:<alice@x>\r\nRCPT TO:<bob@x>\r\nDATA\r\n" +
            "Subject: t\r\n\r\n..dot\r\nlast line\r\n.\r\nQUIT\r\n");

        var transcript = await harness.ReadToEndAsync();

        Assert.EndsWith("250 2.0.0 <alice@x> delivered\r\n250 2.0.0 <bob@x> delivered\r\n221 2.0.0 Bye\r\n", transcript, StringComparison.Ordinal);
        var expected = "Return-Path: <s@r.test>\r\nSubject: t\r\n\r\n.dot\r\nlast line\r\n";
        Assert.Equal(
            [("alice", expected), ("bob", expected)],
            harness.Store.Deliveries.Select(d => (d.User, Encoding.UTF8.GetString(d.Message))));
    }

    [Fact]
    public async Task Null_sender_gives_an_empty_return_path()
    {
        await using var harness = new SessionHarness(MailTransferDialect.Lmtp);
        harness.Start();
        await harness.SendAsync("LHLO mta\r\nMAIL FROM:<>\r\nRCPT TO:<alice@x>\r\nDATA\r\nbounce\r\n.\r\nQUIT\r\n");

        await harness.ReadToEndAsync();

        var (_, message) = Assert.Single(harness.Store.Deliveries);
        Assert.Equal("Return-Path: <>\r\nbounce\r\n", Encoding.UTF8.GetString(message));
    }

    [Fact]
    public async Task Idle_client_is_dropped_with_421_after_the_command_timeout()
    {
        await using var harness = new SessionHarness(MailTransferDialect.Lmtp);
        harness.Start();
        Assert.StartsWith("220 ", await harness.ReadReplyAsync(), StringComparison.Ordinal);

        harness.Time.Advance(harness.Options.CommandTimeout - TimeSpan.FromSeconds(1));
        await harness.SendAsync("NOOP\r\n");
        Assert.Equal("250 2.0.0 Ok\r\n", await harness.ReadReplyAsync());

        harness.Time.Advance(harness.Options.CommandTimeout);

        Assert.Equal("421 4.4.2 Timeout, closing connection\r\n", await harness.ReadToEndAsync());
        await harness.Session;
    }

    [Fact]
    public async Task Stalled_data_is_dropped_after_the_data_timeout_and_nothing_is_delivered()
    {
        await using var harness = new SessionHarness(MailTransferDialect.Lmtp);
        harness.Start();
        await harness.ReadReplyAsync();

        // Sent in one write so the partial data is consumed before the 354 goes out with the data timer armed.
        await harness.SendAsync("LHLO mta\r\nMAIL FROM:<>\r\nRCPT TO:<alice@x>\r\nDATA\r\nSubject: slow\r\n");
        await harness.ReadReplyAsync();
        await harness.ReadReplyAsync();
        await harness.ReadReplyAsync();
        Assert.StartsWith("354 ", await harness.ReadReplyAsync(), StringComparison.Ordinal);

        harness.Time.Advance(harness.Options.DataTimeout);

        Assert.Equal("421 4.4.2 Timeout, closing connection\r\n", await harness.ReadToEndAsync());
        await harness.Session;
        Assert.Empty(harness.Store.Deliveries);
        Assert.Empty(Directory.GetFiles(harness.SpoolDirectory));
    }

    [Fact]
    public async Task A_server_stop_closes_an_idle_session_with_421()
    {
        await using var harness = new SessionHarness(MailTransferDialect.Lmtp);
        harness.Start();
        await harness.ReadReplyAsync();

        await harness.StopServerAsync();

        Assert.Equal("421 4.3.2 Service shutting down, try again later\r\n", await harness.ReadToEndAsync());
    }

    [Fact]
    public async Task A_server_stop_lets_a_transfer_in_data_finish_first()
    {
        await using var harness = new SessionHarness(MailTransferDialect.Lmtp);
        harness.Start();
        await harness.SendAsync("LHLO mta\r\nMAIL FROM:<>\r\nRCPT TO:<alice@x>\r\nDATA\r\nSubject: half\r\n");
        for (var i = 0; i < 5; i++)
        {
            await harness.ReadReplyAsync();
        }

        await harness.StopServerAsync();
        await harness.SendAsync("\r\nrest\r\n.\r\n");

        Assert.Equal(
            "250 2.0.0 <alice@x> delivered\r\n421 4.3.2 Service shutting down, try again later\r\n",
            await harness.ReadToEndAsync());
        Assert.Single(harness.Store.Deliveries);
    }

    [Fact]
    public async Task A_reply_250_comes_only_after_the_store_returned()
    {
        await using var harness = new SessionHarness(MailTransferDialect.Lmtp);
        harness.Start();
        await harness.SendAsync("LHLO mta\r\nMAIL FROM:<>\r\nRCPT TO:<alice@x>\r\nDATA\r\nbody\r\n.\r\n");
        for (var i = 0; i < 5; i++)
        {
            await harness.ReadReplyAsync();
        }

        Assert.Equal("250 2.0.0 <alice@x> delivered\r\n", await harness.ReadReplyAsync());
        Assert.Single(harness.Store.Deliveries);
    }
}
