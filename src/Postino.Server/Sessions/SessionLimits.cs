namespace Postino.Server.Sessions;

/// <summary>
/// The <c>Limits</c> deadlines every line session (POP3, POP2, SMTP, LMTP) obeys, besides each protocol's idle
/// timeout between commands. They are deadlines, not idle timers: a byte that arrives does not re-arm them.
/// </summary>
public sealed class SessionLimits
{
    /// <summary>Once a command line (or SASL response) has started, its line end must arrive within this.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A POP3/POP2 connection not logged in by then is closed (as Dovecot's login timeout).</summary>
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Smallest average rate of SMTP/LMTP DATA after <see cref="MinDataRateGrace"/>, in octets per second;
    /// 0 turns the check off (as Kestrel's MinRequestBodyDataRate).</summary>
    public int MinDataRate { get; set; } = 1024;

    /// <summary>How long DATA may run before <see cref="MinDataRate"/> applies.</summary>
    public TimeSpan MinDataRateGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws when a value makes no sense; the message names the option.</summary>
    public SessionLimits Validate()
    {
        if (CommandTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CommandTimeout), "Limits:CommandTimeout must be positive");
        }

        if (LoginTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(LoginTimeout), "Limits:LoginTimeout must be positive");
        }

        if (MinDataRate < 0 || MinDataRateGrace < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MinDataRate), "Limits:MinDataRate must not be negative");
        }

        return this;
    }
}
