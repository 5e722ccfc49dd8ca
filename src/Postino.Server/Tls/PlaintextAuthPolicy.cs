using System.Net;

namespace Postino.Server.Tls;

/// <summary>
/// Where plaintext credentials (USER/PASS, APOP, AUTH PLAIN/LOGIN) are accepted: on TLS connections, and on
/// unencrypted ones only from trusted networks (Dovecot's disable_plaintext_auth). The default trusts loopback only;
/// an empty list trusts nobody, so plaintext then always needs TLS.
/// </summary>
public sealed class PlaintextAuthPolicy
{
    private readonly IReadOnlyList<IPNetwork> _trustedNetworks;

    public PlaintextAuthPolicy(IEnumerable<IPNetwork> trustedNetworks)
    {
        ArgumentNullException.ThrowIfNull(trustedNetworks);
        _trustedNetworks = [.. trustedNetworks];
    }

    /// <summary>127.0.0.0/8 and ::1.</summary>
    public static PlaintextAuthPolicy LoopbackTrusted { get; } =
        new([IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")]);

    /// <summary>Plaintext only under TLS, from everywhere.</summary>
    public static PlaintextAuthPolicy TlsRequired { get; } = new([]);

    /// <summary>Plaintext everywhere (for a server on a private network; Dovecot's disable_plaintext_auth = no).</summary>
    public static PlaintextAuthPolicy AlwaysAllowed { get; } = new([IPNetwork.Parse("0.0.0.0/0"), IPNetwork.Parse("::/0")]);

    public IReadOnlyList<IPNetwork> TrustedNetworks => _trustedNetworks;

    /// <summary>Reads a list such as "127.0.0.0/8, ::1/128, 192.168.0.0/16" (a bare address is a /32 or /128).</summary>
    /// <exception cref="FormatException">An entry is not an address or CIDR network.</exception>
    public static PlaintextAuthPolicy Parse(string trustedNetworks)
    {
        ArgumentNullException.ThrowIfNull(trustedNetworks);
        var networks = new List<IPNetwork>();
        foreach (var item in trustedNetworks.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(item, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(item, out var address))
            {
                networks.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else
            {
                throw new FormatException($"'{item}' is not an IP address or network.");
            }
        }

        return new PlaintextAuthPolicy(networks);
    }

    /// <summary>True when plaintext credentials may be sent by <paramref name="remoteAddress"/> on this connection.</summary>
    public bool Allows(IPAddress remoteAddress, bool tlsActive)
    {
        ArgumentNullException.ThrowIfNull(remoteAddress);
        if (tlsActive)
        {
            return true;
        }

        // Dual-mode sockets report IPv4 clients as ::ffff:a.b.c.d.
        var address = remoteAddress.IsIPv4MappedToIPv6 ? remoteAddress.MapToIPv4() : remoteAddress;
        return _trustedNetworks.Any(network => network.Contains(address));
    }
}
