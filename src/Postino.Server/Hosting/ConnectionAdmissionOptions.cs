using System.Net;

namespace Postino.Server.Hosting;

/// <summary>
/// How one listener admits connections, before anything else runs on them (TLS included): caps per remote address
/// (IPv6 per /64) and in total, TLS handshakes in progress, and the PROXY protocol. Each listener has its own, so a
/// flood on one (SMTP) cannot lock users of another (POP3) out.
/// </summary>
public sealed record ConnectionAdmissionOptions
{
    /// <summary>Open connections from one remote address (IPv6: one /64). Unix socket clients only count in the total.</summary>
    public int ConnectionsPerAddress { get; init; } = 20;

    /// <summary>Open connections on the listener.</summary>
    public int TotalConnections { get; init; } = 1000;

    /// <summary>TLS handshakes in progress at once on an implicit-TLS listener; a connection over it is closed at once.</summary>
    public int PendingHandshakes { get; init; } = 100;

    /// <summary>How long a TLS handshake (and a PROXY protocol header) may take.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>True when every connection starts with a PROXY protocol header (v1 or v2) from a trusted proxy.</summary>
    public bool ProxyProtocol { get; init; }

    /// <summary>The networks whose connections may carry a PROXY header; anyone else is refused on a PROXY listener.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>
    /// The line a refused client reads on a plaintext listener (without CRLF); null takes the protocol's own by
    /// listener name (<see cref="RefusalFor"/>). Implicit-TLS listeners send nothing: a refusal costs no TLS work.
    /// </summary>
    public string? RefusalLine { get; init; }

    /// <summary>The temporary-refusal line of each protocol, by listener name.</summary>
    public static string RefusalFor(string listenerName)
    {
        ArgumentNullException.ThrowIfNull(listenerName);
        return listenerName.ToLowerInvariant() switch
        {
            var n when n.StartsWith("pop2", StringComparison.Ordinal) => "- Too many connections, try again later",
            var n when n.StartsWith("lmtp", StringComparison.Ordinal) || n.StartsWith("smtp", StringComparison.Ordinal) =>
                "421 4.7.0 Too many connections, try again later",
            _ => "-ERR [SYS/TEMP] Too many connections, try again later",
        };
    }

    /// <summary>Problems with these options, each naming the option as written in <paramref name="section"/>.</summary>
    public IReadOnlyList<string> Validate(string section = "Limits")
    {
        var errors = new List<string>();
        if (ConnectionsPerAddress < 1)
        {
            errors.Add($"{section}:ConnectionsPerAddress: must be at least 1 (got {ConnectionsPerAddress})");
        }

        if (TotalConnections < 1)
        {
            errors.Add($"{section}:TotalConnections: must be at least 1 (got {TotalConnections})");
        }

        if (PendingHandshakes < 1)
        {
            errors.Add($"{section}:PendingHandshakes: must be at least 1 (got {PendingHandshakes})");
        }

        if (HandshakeTimeout <= TimeSpan.Zero || HandshakeTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{section}:HandshakeTimeout: must be more than 0 and at most 10 minutes (got {HandshakeTimeout})");
        }

        if (ProxyProtocol && TrustedProxies.Count == 0)
        {
            errors.Add($"{section}:ProxyProtocol: needs Limits:TrustedProxies, the networks of the proxies allowed to send it");
        }

        return errors;
    }
}
