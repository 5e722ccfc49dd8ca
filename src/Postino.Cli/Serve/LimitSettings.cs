using Postino.Server.Security;

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

    public ConnectionLimitOptions ConnectionLimits() => ConnectionsPerAddress >= 1 && TotalConnections >= 1
        ? new ConnectionLimitOptions { PerAddress = ConnectionsPerAddress, Total = TotalConnections }
        : throw new Configuration.ConfigurationProblem("Limits:ConnectionsPerAddress and Limits:TotalConnections: must be at least 1");

    public LoginPenaltyOptions LoginPenalty() => LoginPenaltyInitial >= TimeSpan.Zero && LoginPenaltyMax >= LoginPenaltyInitial
        ? new LoginPenaltyOptions { InitialDelay = LoginPenaltyInitial, MaxDelay = LoginPenaltyMax }
        : throw new Configuration.ConfigurationProblem("Limits:LoginPenaltyInitial/LoginPenaltyMax: need 0 <= initial <= max");
}
