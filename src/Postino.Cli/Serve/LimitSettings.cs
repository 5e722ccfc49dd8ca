using Postino.Server.Hosting;
using Postino.Server.Security;
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
