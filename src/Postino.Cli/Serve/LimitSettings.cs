using Postino.Server.Security;
using Postino.Server.Sessions;

namespace Postino.Cli.Serve;

/// <summary>The <c>Limits</c> section: connection caps and the failed-login penalty, shared by every protocol.</summary>
internal sealed class LimitSettings
{
    /// <summary>Concurrent connections per remote address (IPv6 per /64), all protocols together.</summary>
    public int ConnectionsPerAddress { get; set; } = 20;

    /// <summary>Concurrent connections in total.</summary>
    public int TotalConnections { get; set; } = 1000;

    /// <summary>The delay after a first failed login; it doubles with each further distinct failure.</summary>
    public TimeSpan LoginPenaltyInitial { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest failed-login delay.</summary>
    public TimeSpan LoginPenaltyMax { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Once a command line has started, its line end must arrive within this.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A POP3/POP2 connection not logged in by then is closed.</summary>
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Smallest average SMTP/LMTP DATA rate in octets per second after the grace period; 0 = off.</summary>
    public int MinDataRate { get; set; } = 1024;

    /// <summary>How long DATA may run before MinDataRate applies.</summary>
    public TimeSpan MinDataRateGrace { get; set; } = TimeSpan.FromSeconds(10);

    public SessionLimits SessionLimits()
    {
        try
        {
            return new SessionLimits
            {
                CommandTimeout = CommandTimeout,
                LoginTimeout = LoginTimeout,
                MinDataRate = MinDataRate,
                MinDataRateGrace = MinDataRateGrace,
            }.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new Configuration.ConfigurationProblem(e.Message.Split(" (Parameter", 2)[0]);
        }
    }

    public ConnectionLimitOptions ConnectionLimits() => ConnectionsPerAddress >= 1 && TotalConnections >= 1
        ? new ConnectionLimitOptions { PerAddress = ConnectionsPerAddress, Total = TotalConnections }
        : throw new Configuration.ConfigurationProblem("Limits:ConnectionsPerAddress and Limits:TotalConnections: must be at least 1");

    public LoginPenaltyOptions LoginPenalty() => LoginPenaltyInitial >= TimeSpan.Zero && LoginPenaltyMax >= LoginPenaltyInitial
        ? new LoginPenaltyOptions { InitialDelay = LoginPenaltyInitial, MaxDelay = LoginPenaltyMax }
        : throw new Configuration.ConfigurationProblem("Limits:LoginPenaltyInitial/LoginPenaltyMax: need 0 <= initial <= max");
}
