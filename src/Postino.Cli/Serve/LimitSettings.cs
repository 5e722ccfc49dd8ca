using Postino.Server.Hosting;
using Postino.Server.Security;
using Postino.Server.Sessions;
using Postino.Server.Tls;

namespace Postino.Cli.Serve;

/// <summary>
/// The <c>Limits</c> section: how every listener admits connections (each listener may override the admission keys
/// in its own section, see <see cref="ListenerAdmissionSettings"/>) and the failed-login penalty.
/// </summary>
internal sealed class LimitSettings
{
    /// <summary>Concurrent connections per remote address (IPv6 per /64), on each listener.</summary>
    public int ConnectionsPerAddress { get; set; } = 20;

    /// <summary>Concurrent connections in total, on each listener.</summary>
    public int TotalConnections { get; set; } = 1000;

    /// <summary>TLS handshakes in progress at once, on each implicit-TLS listener.</summary>
    public int PendingHandshakes { get; set; } = 100;

    /// <summary>How long a TLS handshake (implicit TLS, STLS, STARTTLS) or a PROXY protocol header may take.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Networks of the load balancers allowed to send a PROXY protocol header, comma-separated.</summary>
    public string TrustedProxies { get; set; } = string.Empty;

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

    /// <summary>The admission of a listener whose section sets none of the admission keys.</summary>
    public ConnectionAdmissionOptions Admission()
    {
        IReadOnlyList<System.Net.IPNetwork> proxies;
        try
        {
            proxies = PlaintextAuthPolicy.Parse(TrustedProxies).TrustedNetworks;
        }
        catch (FormatException exception)
        {
            throw new Configuration.ConfigurationProblem($"Limits:TrustedProxies: {exception.Message}");
        }

        var admission = new ConnectionAdmissionOptions
        {
            ConnectionsPerAddress = ConnectionsPerAddress,
            TotalConnections = TotalConnections,
            PendingHandshakes = PendingHandshakes,
            HandshakeTimeout = HandshakeTimeout,
            TrustedProxies = proxies,
        };
        var errors = admission.Validate();
        return errors.Count == 0 ? admission : throw new Configuration.ConfigurationProblem(string.Join("; ", errors));
    }

    public LoginPenaltyOptions LoginPenalty() => LoginPenaltyInitial >= TimeSpan.Zero && LoginPenaltyMax >= LoginPenaltyInitial
        ? new LoginPenaltyOptions { InitialDelay = LoginPenaltyInitial, MaxDelay = LoginPenaltyMax }
        : throw new Configuration.ConfigurationProblem("Limits:LoginPenaltyInitial/LoginPenaltyMax: need 0 <= initial <= max");
}
