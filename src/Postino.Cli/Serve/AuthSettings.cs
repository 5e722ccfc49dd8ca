using Postino.Cli.Configuration;
using Postino.Server.Tls;

namespace Postino.Cli.Serve;

/// <summary>
/// The <c>Auth</c> section: where plaintext logins (USER/PASS, APOP, AUTH PLAIN/LOGIN) are allowed without TLS, and
/// which SASL mechanisms are offered.
/// </summary>
internal sealed class AuthSettings
{
    /// <summary>Networks trusted with plaintext logins on unencrypted connections (Dovecot's login_trusted_networks); "" = nowhere.</summary>
    public string TrustedNetworks { get; set; } = "127.0.0.0/8, ::1/128";

    /// <summary>SASL mechanisms offered (comma-separated); empty = all of PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256(-PLUS).</summary>
    public string? Mechanisms { get; set; }

    public PlaintextAuthPolicy PlaintextPolicy()
    {
        try
        {
            return PlaintextAuthPolicy.Parse(TrustedNetworks);
        }
        catch (FormatException exception)
        {
            throw new ConfigurationProblem($"Auth:TrustedNetworks: {exception.Message}");
        }
    }

    public IEnumerable<string>? EnabledMechanisms() => string.IsNullOrWhiteSpace(Mechanisms)
        ? null
        : Mechanisms.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
