using Microsoft.Extensions.Time.Testing;
using Postino.Server.Hosting;
using Postino.Server.Security;

namespace Postino.Server.Tests.Hosting;

public sealed class ConnectionRefusalLogTests
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly ListLogger logger = new();

    [Fact]
    public void The_first_refusal_is_logged_at_once_and_a_flood_is_summed_into_one_line_per_interval()
    {
        var log = new ConnectionRefusalLog("pop3s", logger, time);

        log.Record(ConnectionRefusal.PerAddressLimit, "203.0.113.7:1000");
        Assert.Single(logger.Lines);
        Assert.Contains("pop3s: refused 1 connection(s): 1 over the per-address cap", logger.Lines[0], StringComparison.Ordinal);

        for (var i = 0; i < 1999; i++)
        {
            log.Record(i % 2 == 0 ? ConnectionRefusal.PerAddressLimit : ConnectionRefusal.PendingHandshakes, "203.0.113.7:" + i);
        }

        Assert.Single(logger.Lines);
        time.Advance(ConnectionRefusalLog.ReportInterval);

        Assert.Equal(2, logger.Lines.Count);
        Assert.Contains("refused 1999 connection(s): 1000 over the per-address cap, 0 over the total cap, 999 over the TLS handshakes in progress, 0 without a valid PROXY header", logger.Lines[1], StringComparison.Ordinal);
        Assert.Contains("last from 203.0.113.7:1998", logger.Lines[1], StringComparison.Ordinal);
        Assert.Equal(2000, log.Total());
        Assert.Equal(999, log.Total(ConnectionRefusal.PendingHandshakes));

        // Quiet again: nothing more is logged, and the next refusal after the interval is logged at once.
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, logger.Lines.Count);
        log.Record(ConnectionRefusal.UntrustedProxy, "192.0.2.1:5");
        Assert.Equal(3, logger.Lines.Count);
        Assert.Contains("1 without a valid PROXY header", logger.Lines[2], StringComparison.Ordinal);
    }
}
