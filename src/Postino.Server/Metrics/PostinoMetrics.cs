using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Postino.Server.Metrics;

/// <summary>
/// Every metric Postino records, on one <see cref="Meter"/> named "Postino" (System.Diagnostics.Metrics, so that
/// OpenTelemetry can export it too; <see cref="PrometheusExporter"/> serves it on <c>/metrics</c>). Call sites are one
/// line each. <see cref="Instance"/> is the process's; tests make their own.
/// </summary>
public sealed class PostinoMetrics : IDisposable
{
    public const string MeterName = "Postino";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _refused;
    private readonly UpDownCounter<long> _open;
    private readonly Counter<long> _logins;
    private readonly Counter<long> _sessions;
    private readonly Counter<long> _retrieved;
    private readonly Counter<long> _retrievedBytes;
    private readonly Counter<long> _deleted;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _deliveryDuration;
    private readonly Counter<long> _lockConflicts;
    private readonly Histogram<double> _storeDuration;
    private readonly List<Func<IEnumerable<(string Name, DateTime NotAfter)>>> _certificates = [];

    public PostinoMetrics()
    {
        Meter = new Meter(MeterName, Version);
        _open = Meter.CreateUpDownCounter<long>("postino_connections_open", description: "Connections open now, by listener");
        _accepted = Meter.CreateCounter<long>("postino_connections_accepted", description: "Connections accepted");
        _refused = Meter.CreateCounter<long>("postino_connections_refused", description: "Connections refused, by reason (cap, penalty, shutdown)");
        _logins = Meter.CreateCounter<long>("postino_logins", description: "Login attempts, by mechanism and result (ok, failed, too_soon, unavailable)");
        _sessions = Meter.CreateCounter<long>("postino_sessions", description: "Sessions ended, by end reason");
        _retrieved = Meter.CreateCounter<long>("postino_messages_retrieved", description: "Messages sent by RETR or TOP");
        _retrievedBytes = Meter.CreateCounter<long>("postino_retrieved_bytes", "By", "Octets of message data sent by RETR or TOP");
        _deleted = Meter.CreateCounter<long>("postino_messages_deleted", description: "Messages deleted by a committed QUIT");
        _deliveries = Meter.CreateCounter<long>("postino_deliveries", description: "Deliveries to one recipient after DATA, by result and reply class (2xx, 4xx, 5xx)");
        _deliveryDuration = Meter.CreateHistogram<double>("postino_delivery_duration_seconds", "s", "Time to store one delivered message durably (fsync included)");
        _lockConflicts = Meter.CreateCounter<long>("postino_mailbox_lock_conflicts", description: "Mailbox opens refused because another session holds the mailbox");
        _storeDuration = Meter.CreateHistogram<double>("postino_store_operation_duration_seconds", "s", "Mail store operations, by operation");
        Meter.CreateObservableGauge("postino_certificate_expiry_timestamp_seconds", ObserveCertificates, "s", "When each TLS certificate in use expires (Unix time)");
        Meter.CreateObservableGauge("postino_build_info", () => new Measurement<long>(1, new KeyValuePair<string, object?>("version", Version)), description: "Always 1; the version label names the running build");
    }

    /// <summary>The process's metrics (one server per process).</summary>
    public static PostinoMetrics Instance { get; } = new();

    /// <summary>The label names of each instrument, in the order the exporter declares them.</summary>
    public static IReadOnlyDictionary<string, string[]> Labels { get; } = new Dictionary<string, string[]>
    {
        ["postino_connections_open"] = ["protocol", "tls"],
        ["postino_connections_accepted"] = ["protocol", "tls"],
        ["postino_connections_refused"] = ["protocol", "tls", "reason"],
        ["postino_logins"] = ["protocol", "tls", "mechanism", "result"],
        ["postino_sessions"] = ["protocol", "tls", "end"],
        ["postino_messages_retrieved"] = ["protocol", "tls", "command"],
        ["postino_retrieved_bytes"] = ["protocol", "tls", "command"],
        ["postino_messages_deleted"] = ["protocol", "tls"],
        ["postino_deliveries"] = ["protocol", "result", "class"],
        ["postino_delivery_duration_seconds"] = [],
        ["postino_mailbox_lock_conflicts"] = [],
        ["postino_store_operation_duration_seconds"] = ["operation"],
        ["postino_certificate_expiry_timestamp_seconds"] = ["certificate"],
        ["postino_build_info"] = ["version"],
    };

    public static string Version { get; } =
        (Assembly.GetEntryAssembly() ?? typeof(PostinoMetrics).Assembly).GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public Meter Meter { get; }

    /// <summary>A connection passed admission (the connection cap) and reached its protocol.</summary>
    public void ConnectionAccepted(string protocol, bool tls)
    {
        _accepted.Add(1, Tag("protocol", protocol), Tag("tls", Tls(tls)));
        _open.Add(1, Tag("protocol", protocol), Tag("tls", Tls(tls)));
    }

    /// <summary>An accepted connection closed.</summary>
    public void ConnectionClosed(string protocol, bool tls) => _open.Add(-1, Tag("protocol", protocol), Tag("tls", Tls(tls)));

    /// <summary>A connection refused before its protocol ran; <paramref name="reason"/>: cap, penalty, shutdown.</summary>
    public void ConnectionRefused(string protocol, bool tls, string reason) =>
        _refused.Add(1, Tag("protocol", protocol), Tag("tls", Tls(tls)), Tag("reason", reason));

    /// <summary>The <c>reason</c> label of a refusal: <c>cap</c> for the connection caps, else the refusal's name.</summary>
    public static string RefusalReason(Security.ConnectionRefusal refusal) => refusal switch
    {
        Security.ConnectionRefusal.PerAddressLimit or Security.ConnectionRefusal.TotalLimit => "cap",
        Security.ConnectionRefusal.PendingHandshakes => "handshakes",
        Security.ConnectionRefusal.UntrustedProxy => "untrusted_proxy",
        Security.ConnectionRefusal.BadProxyHeader => "bad_proxy_header",
        _ => refusal.ToString().ToLowerInvariant(),
    };

    /// <summary>A login attempt's outcome; <paramref name="mechanism"/>: USER, APOP, or the SASL mechanism.</summary>
    public void Login(string protocol, bool tls, string mechanism, string result) =>
        _logins.Add(1, Tag("protocol", protocol), Tag("tls", Tls(tls)), Tag("mechanism", mechanism.ToUpperInvariant()), Tag("result", result));

    public void Login(string protocol, bool tls, string mechanism, Auth.AuthenticationOutcome outcome) => Login(protocol, tls, mechanism, outcome switch
    {
        Auth.AuthenticationOutcome.Success => "ok",
        Auth.AuthenticationOutcome.TooSoon => "too_soon",
        Auth.AuthenticationOutcome.TemporaryFailure => "unavailable",
        _ => "failed",
    });

    /// <summary>The "end" label of each session end name (a few enum names), lower-cased once rather than per session.</summary>
    private static readonly ConcurrentDictionary<string, string> LowerCaseEnds = new(StringComparer.Ordinal);

    /// <summary>A session ended: its end reason and what it retrieved and deleted (deleted counts only when committed).</summary>
    public void SessionEnded(string protocol, bool tls, string end, int retr, long retrBytes, int top, long topBytes, int deletedAtQuit)
    {
        var p = Tag("protocol", protocol);
        var t = Tag("tls", Tls(tls));
        _sessions.Add(1, p, t, Tag("end", LowerCaseEnds.GetOrAdd(end, static e => e.ToLowerInvariant())));
        if (retr > 0)
        {
            _retrieved.Add(retr, p, t, Tag("command", "RETR"));
            _retrievedBytes.Add(retrBytes, p, t, Tag("command", "RETR"));
        }

        if (top > 0)
        {
            _retrieved.Add(top, p, t, Tag("command", "TOP"));
            _retrievedBytes.Add(topBytes, p, t, Tag("command", "TOP"));
        }

        if (deletedAtQuit > 0)
        {
            _deleted.Add(deletedAtQuit, p, t);
        }
    }

    /// <summary>One recipient's delivery after DATA, by its reply code.</summary>
    public void Delivery(string protocol, int replyCode) =>
        _deliveries.Add(1, Tag("protocol", protocol), Tag("result", replyCode < 400 ? "ok" : "refused"), Tag("class", $"{replyCode / 100}xx"));

    public void DeliveryStored(TimeSpan duration) => _deliveryDuration.Record(duration.TotalSeconds);

    public void LockConflict() => _lockConflicts.Add(1);

    public void StoreOperation(string operation, TimeSpan duration) => _storeDuration.Record(duration.TotalSeconds, Tag("operation", operation));

    /// <summary>Adds certificates to report (name, expiry); read at each scrape, so reloads show.</summary>
    public void ObserveCertificates(Func<IEnumerable<(string Name, DateTime NotAfter)>> certificates)
    {
        lock (_certificates)
        {
            _certificates.Add(certificates);
        }
    }

    public void Dispose() => Meter.Dispose();

    private IEnumerable<Measurement<double>> ObserveCertificates()
    {
        List<Func<IEnumerable<(string Name, DateTime NotAfter)>>> sources;
        lock (_certificates)
        {
            sources = [.. _certificates];
        }

        return sources.SelectMany(source => source())
            .Select(c => new Measurement<double>(
                new DateTimeOffset(DateTime.SpecifyKind(c.NotAfter.ToUniversalTime(), DateTimeKind.Utc)).ToUnixTimeSeconds(),
                Tag("certificate", c.Name)))
            .ToList();
    }

    private static string Tls(bool tls) => tls ? "yes" : "no";

    private static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);
}
