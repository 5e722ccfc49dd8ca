using System.Net;

namespace Postino.Server.Pop2;

/// <summary>Settings of the POP2 server (RFC 937).</summary>
public sealed class Pop2Options
{
    /// <summary>The host name in the greeting <c>+ POP2 host ...</c>; the machine's name when null.</summary>
    public string? HostName { get; set; }

    /// <summary>Idle time allowed before HELO (UW ipop2d: 3 minutes).</summary>
    public TimeSpan LoginIdleTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Idle time allowed between commands after HELO (UW ipop2d: 30 minutes).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long the last reply before a close may take to reach a client that is not reading.</summary>
    public TimeSpan CloseFlushTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// POP2 has no TLS, so HELO sends the password in the clear. It is accepted only from
    /// <see cref="TrustedNetworks"/> unless this is true.
    /// </summary>
    public bool AllowPlaintextFromUntrusted { get; set; }

    /// <summary>Where plaintext HELO is accepted from; loopback by default.</summary>
    public IList<IPNetwork> TrustedNetworks { get; } = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    /// <summary>True when a plaintext login from <paramref name="remote"/> is acceptable.</summary>
    public bool AllowsPlaintextFrom(IPAddress? remote)
    {
        if (AllowPlaintextFromUntrusted || remote is null)
        {
            // No IP address means a local transport (Unix socket, in-process pipe).
            return true;
        }

        var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        return TrustedNetworks.Any(network => network.Contains(address));
    }
}
