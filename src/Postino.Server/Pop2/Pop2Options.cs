using Postino.Server.Hosting;

namespace Postino.Server.Pop2;

/// <summary>Settings of the POP2 server (RFC 937), config section "Pop2".</summary>
public sealed class Pop2Options
{
    /// <summary>Where the POP2 listener listens: "ADDR:PORT" (109 is POP2's port), "unix:PATH" or "none".</summary>
    public string Listen { get; set; } = ListenerDefaults.For("Pop2", embedded: true);

    /// <summary>The host name in the greeting <c>+ POP2 host ...</c>; the server's host name when null.</summary>
    public string? HostName { get; set; }

    /// <summary>Idle time allowed before HELO (UW ipop2d: 3 minutes).</summary>
    public TimeSpan LoginIdleTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Idle time allowed between commands after HELO (UW ipop2d: 30 minutes).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long the last reply before a close may take to reach a client that is not reading.</summary>
    public TimeSpan CloseFlushTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// POP2 has no TLS, so HELO sends the password in the clear. It is accepted only from the networks the login policy
    /// trusts with plaintext (<c>Auth:TrustedNetworks</c>, the same list as POP3's USER/PASS) unless this is true.
    /// </summary>
    public bool AllowPlaintextFromUntrusted { get; set; }

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

