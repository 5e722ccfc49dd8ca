using Postino.Cli.Configuration;
using Postino.Server.Auth;
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

    /// <summary>
    /// SASL mechanisms offered (comma-separated). The default is PLAIN and LOGIN, which work whatever scheme a password
    /// is stored with: CRAM-MD5 needs {PLAIN} secrets and SCRAM-SHA-256(-PLUS) {SCRAM-SHA-256} or {PLAIN} ones, and
    /// clients that prefer them (curl, Thunderbird) would fail, or pay the login penalty, for every user with a
    /// one-way hash such as the default {ARGON2ID}. Sites that store SCRAM keys turn them on here.
    /// </summary>
    public string Mechanisms { get; set; } = "PLAIN, LOGIN";

    /// <summary>How long a verified password is remembered (the auth cache); 00:00:00 turns it off.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromMinutes(10);

    public VerifiedPasswordCacheOptions CacheOptions() => CacheTtl >= TimeSpan.Zero
        ? new VerifiedPasswordCacheOptions { Ttl = CacheTtl }
        : throw new ConfigurationProblem($"Auth:CacheTtl: must not be negative (got {CacheTtl})");

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

    public IEnumerable<string> EnabledMechanisms() =>
        Mechanisms.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
