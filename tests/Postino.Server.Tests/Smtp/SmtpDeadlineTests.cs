using Postino.Server.Sessions;
using Postino.Server.Smtp;
using Postino.Server.Tests.Delivery;
using Postino.Server.Tests.Fakes;

namespace Postino.Server.Tests.Smtp;

/// <summary>
/// Issue 10 section 2 on SMTP/LMTP: deadlines, not idle timers. A command line that trickles in one octet at a time
/// is cut at Limits:CommandTimeout; DATA slower than Limits:MinDataRate after its grace is cut; idle time between
/// commands keeps its own (longer) timeout. The fake clock only moves once the session armed its timer.
/// </summary>
public sealed class SmtpDeadlineTests
{
    private static readonly SessionLimits Limits = new()
    {
        CommandTimeout = TimeSpan.FromSeconds(10),
        MinDataRate = 100,
        MinDataRateGrace = TimeSpan.FromSeconds(10),
    };

    [Theory]
    [InlineData(MailTransferDialect.Smtp)]
    [InlineData(MailTransferDialect.Lmtp)]
    public async Task A_command_trickling_one_octet_every_3_seconds_is_cut_at_the_command_timeout(MailTransferDialect dialect)
    {
        var time = new TimerWatchingTimeProvider(SessionHarness.StartTime);
        await using var harness = new SessionHarness(dialect) { Time = time, Limits = Limits };
        harness.Options.CommandTimeout = TimeSpan.FromMinutes(5);
        harness.Start();
        await harness.ReadReplyAsync();

        // Each octet re-arms the timer, but only to what is left of the 10 s: 10, 7, 4, 1.
        foreach (var (octet, left) in new[] { ("N", 10), ("O", 7), ("O", 4), ("P", 1) })
        {
            var armed = time.TimerStarted(TimeSpan.FromSeconds(left));
            await harness.SendAsync(octet);
            await armed;
            time.Advance(TimeSpan.FromSeconds(Math.Min(3, left)));
        }

        Assert.Equal("421 4.4.2 Timeout, closing connection\r\n", await harness.ReadToEndAsync());
        Assert.Equal(SessionHarness.StartTime.AddSeconds(10), time.GetUtcNow());
    }

    [Fact]
    public async Task Idle_time_between_commands_keeps_its_own_timeout()
    {
        var time = new TimerWatchingTimeProvider(SessionHarness.StartTime);
        await using var harness = new SessionHarness(MailTransferDialect.Smtp) { Time = time, Limits = Limits };
        harness.Options.CommandTimeout = TimeSpan.FromMinutes(5);
        var idle = time.TimerStarted(TimeSpan.FromMinutes(5));
        harness.Start();
        await harness.ReadReplyAsync();
        await idle;
        time.Advance(TimeSpan.FromMinutes(4));

        idle = time.TimerStarted(TimeSpan.FromMinutes(5));
        await harness.SendAsync("NOOP\r\n");
        Assert.Equal("250 2.0.0 Ok\r\n", await harness.ReadReplyAsync());
        await idle;
        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal("421 4.4.2 Timeout, closing connection\r\n", await harness.ReadToEndAsync());
    }

    [Fact]
    public async Task Data_slower_than_the_minimum_rate_is_cut_after_the_grace()
    {
        var time = new TimerWatchingTimeProvider(SessionHarness.StartTime);
        await using var harness = new SessionHarness(MailTransferDialect.Smtp) { Time = time, Limits = Limits };
        harness.Options.MaxMessageSize = 100_000;
        harness.Start();
        await harness.ReadReplyAsync();
        await harness.SendAsync("EHLO c.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.org>\r\n");
        await harness.ReadReplyAsync();
        await harness.ReadReplyAsync();
        await harness.ReadReplyAsync();

        // 10 s of grace, then 100 octets/s: after 500 octets the data must be complete by 15 s.
        var armed = time.TimerStarted(TimeSpan.FromSeconds(10));
        await harness.SendAsync("DATA\r\n");
        Assert.Equal("354 End data with <CR><LF>.<CR><LF>\r\n", await harness.ReadReplyAsync());
        await armed;
        time.Advance(TimeSpan.FromSeconds(3));
        armed = time.TimerStarted(TimeSpan.FromSeconds(12));
        await harness.SendAsync(new string('x', 498) + "\r\n");
        await armed;
        time.Advance(TimeSpan.FromSeconds(12));

        Assert.Equal("421 4.4.2 Timeout, closing connection\r\n", await harness.ReadToEndAsync());
        Assert.Empty(harness.Store.Deliveries);
    }

    [Fact]
    public async Task A_graceful_stop_closes_a_session_waiting_for_a_command()
    {
        await using var harness = new SessionHarness(MailTransferDialect.Lmtp) { Limits = Limits };
        harness.Start();
        await harness.ReadReplyAsync();
        await harness.SendAsync("LHLO mta.test\r\n");
        await harness.ReadReplyAsync();

        await harness.StopServerAsync();

        Assert.Equal("421 4.3.2 Service shutting down, try again later\r\n", await harness.ReadToEndAsync());
    }
}
