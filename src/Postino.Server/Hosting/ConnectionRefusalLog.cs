using Microsoft.Extensions.Logging;
using Postino.Server.Security;

namespace Postino.Server.Hosting;

/// <summary>
/// Counts a listener's refused connections and logs them without letting a flood flood the log: the first refusal is
/// logged at once, later ones are summed and logged once per <see cref="ReportInterval"/>, by reason, with the last
/// client refused. The running totals are kept for metrics.
/// </summary>
public sealed partial class ConnectionRefusalLog
{
    /// <summary>At most one log line per listener per this interval.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(10);

    private static readonly int ReasonCount = Enum.GetValues<ConnectionRefusal>().Length;
    private readonly string listener;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly long[] totals = new long[ReasonCount];
    private readonly long[] unreported = new long[ReasonCount];
    private readonly Lock gate = new();
    private DateTimeOffset nextReport = DateTimeOffset.MinValue;
    private ITimer? pendingReport;
    private string lastClient = string.Empty;

    public ConnectionRefusalLog(string listener, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        this.listener = listener;
        this.logger = logger;
        this.time = time;
    }

    /// <summary>Connections refused so far for <paramref name="reason"/>.</summary>
    public long Total(ConnectionRefusal reason)
    {
        lock (gate)
        {
            return totals[(int)reason];
        }
    }

    /// <summary>Connections refused so far, every reason.</summary>
    public long Total()
    {
        lock (gate)
        {
            return totals.Sum();
        }
    }

    public void Record(ConnectionRefusal reason, string client)
    {
        Metrics.PostinoMetrics.Instance.ConnectionRefused(listener, tls: false, Metrics.PostinoMetrics.RefusalReason(reason));
        lock (gate)
        {
            totals[(int)reason]++;
            unreported[(int)reason]++;
            lastClient = client;
            if (pendingReport is not null)
            {
                return;
            }

            var now = time.GetUtcNow();
            if (now >= nextReport)
            {
                ReportLocked(now);
            }
            else
            {
                pendingReport = time.CreateTimer(_ => ReportPending(), null, nextReport - now, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void ReportPending()
    {
        lock (gate)
        {
            pendingReport?.Dispose();
            pendingReport = null;
            ReportLocked(time.GetUtcNow());
        }
    }

    private void ReportLocked(DateTimeOffset now)
    {
        nextReport = now + ReportInterval;
        var count = unreported.Sum();
        if (count == 0)
        {
            return;
        }

        LogRefused(
            logger,
            listener,
            count,
            unreported[(int)ConnectionRefusal.PerAddressLimit],
            unreported[(int)ConnectionRefusal.TotalLimit],
            unreported[(int)ConnectionRefusal.PendingHandshakes],
            unreported[(int)ConnectionRefusal.UntrustedProxy] + unreported[(int)ConnectionRefusal.BadProxyHeader],
            unreported[(int)ConnectionRefusal.Descriptors],
            lastClient);
        Array.Clear(unreported);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Listener}: refused {Count} connection(s): {PerAddress} over the per-address cap, {Total} over the total cap, {Handshakes} over the TLS handshakes in progress, {Proxy} without a valid PROXY header from a trusted proxy, {Descriptors} over the process's descriptor budget; last from {Client}")]
    private static partial void LogRefused(ILogger logger, string listener, long count, long perAddress, long total, long handshakes, long proxy, long descriptors, string client);
}
