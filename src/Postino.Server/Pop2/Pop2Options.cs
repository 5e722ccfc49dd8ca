using System.Net;
using Postino.Server.Hosting;

namespace Postino.Server.Pop2;

/// <summary>Settings of the POP2 server (RFC 937), config section "Pop2".</summary>
public sealed class Pop2Options
{
    /// <summary>Where the POP2 listener listens: "ADDR:PORT" (109 is POP2's port), "unix:PATH" or "none".</summary>
    public string Listen { get; set; } = "127.0.0.1:1109";

    /// <summary>The host name in the greeting <c>+ POP2 host ...</c>; the server's host name when null.</summary>
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

    /// <summary>
    /// Where plaintext HELO is accepted from: networks (<c>10.0.0.0/8</c>) or single addresses, separated by commas or
    /// spaces; empty for none. Loopback by default. A string, so that configuration replaces it rather than adds to it.
    /// </summary>
    public string TrustedNetworks { get; set; } = "127.0.0.0/8, ::1/128";

    private TrustedNetworkList? _trusted;

    /// <summary>True when a plaintext login from <paramref name="remote"/> is acceptable.</summary>
    public bool AllowsPlaintextFrom(IPAddress? remote)
    {
        if (AllowPlaintextFromUntrusted || remote is null)
        {
            // No IP address means a local transport (Unix socket, in-process pipe).
            return true;
        }

        var text = TrustedNetworks;
        if (_trusted is not { } trusted || trusted.Text != text)
        {
            trusted = new TrustedNetworkList(text, TryParseNetworks(text, out var networks, out _) ? networks : []);
            _trusted = trusted;
        }

        var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        return trusted.Networks.Any(network => network.Contains(address));
    }

    /// <summary>Parses a list of networks; false (with the first bad entry) when one is not a network or address.</summary>
    public static bool TryParseNetworks(string text, out IPNetwork[] networks, out string? badEntry)
    {
        var parsed = new List<IPNetwork>();
        badEntry = null;
        foreach (var entry in (text ?? string.Empty).Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                parsed.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var single))
            {
                parsed.Add(new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                badEntry = entry;
                networks = [];
                return false;
            }
        }

        networks = [.. parsed];
        return true;
    }

    /// <summary>Problems with these options, each naming the option ("Pop2:LoginIdleTimeout: ...").</summary>
    public IReadOnlyList<string> Validate(string section = "Pop2")
    {
        var errors = new List<string>();
        if (!ListenAddress.TryParse(Listen, out _, out var listenError))
        {
            errors.Add($"{section}:Listen: {listenError}");
        }

        if (HostName is not null && (HostName.Length == 0 || HostName.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))))
        {
            errors.Add($"{section}:HostName: must be a host name without spaces or control characters (got \"{HostName}\")");
        }

        if (!TryParseNetworks(TrustedNetworks, out _, out var badNetwork))
        {
            errors.Add($"{section}:TrustedNetworks: \"{badNetwork}\" is not a network (10.0.0.0/8) or an address");
        }

        CheckTimeout(errors, $"{section}:LoginIdleTimeout", LoginIdleTimeout);
        CheckTimeout(errors, $"{section}:SessionIdleTimeout", SessionIdleTimeout);
        CheckTimeout(errors, $"{section}:CloseFlushTimeout", CloseFlushTimeout);
        return errors;
    }

    private static void CheckTimeout(List<string> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(1))
        {
            errors.Add($"{name}: must be more than 0 and at most 1 day (got {value})");
        }
    }
}

/// <summary>A parsed <see cref="Pop2Options.TrustedNetworks"/>, kept with the text it came from.</summary>
internal sealed record TrustedNetworkList(string Text, IPNetwork[] Networks);
