using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Postino.Protocols.Sasl;
using Postino.Server.Auth;
using Postino.Server.Pop3.Tls;
using Postino.Server.Sasl;
using Postino.Storage.Users;

namespace Postino.Server.Pop3.Sasl;

/// <summary>Registers POP3 AUTH (RFC 5034) and the SASL capability line.</summary>
public static class Pop3SaslExtensions
{
    /// <summary>
    /// AUTH and "SASL ..." in CAPA with what each session may use: SCRAM-SHA-256-PLUS only under TLS, PLAIN and LOGIN
    /// only where plaintext logins are allowed. Unless a <see cref="SaslAuthenticator"/> is registered already, one is
    /// built from the registered IPasswordAuthenticator, ICramMd5SecretSource, IScramCredentialSource, ILoginPolicy and
    /// IUserDirectory, limited to <paramref name="enabledMechanisms"/> when given.
    /// </summary>
    public static IServiceCollection AddPop3Sasl(this IServiceCollection services, IEnumerable<string>? enabledMechanisms = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var enabled = enabledMechanisms?.ToArray();
        services.TryAddSingleton(sp => new SaslAuthenticator(
            sp.GetRequiredService<Pop3ServerIdentity>().HostName,
            sp.GetRequiredService<IPasswordAuthenticator>(),
            sp.GetRequiredService<ICramMd5SecretSource>(),
            sp.GetRequiredService<IScramCredentialSource>(),
            sp.GetRequiredService<ILoginPolicy>(),
            sp.GetRequiredService<IUserDirectory>(),
            enabled));
        services.AddSingleton<IPop3Command, AuthCommand>();
        services.AddSingleton<IPop3Capability>(sp =>
        {
            var sasl = sp.GetRequiredService<SaslAuthenticator>();
            return new Pop3Capability("SASL", 25, session =>
            {
                var mechanisms = sasl.Available(
                    session.Services.LoginPolicy.AllowsPlaintextLogin(session), Pop3SessionTls.Info(session)?.TlsServerEndPoint);
                return mechanisms.Count == 0 ? null : "SASL " + string.Join(' ', mechanisms);
            });
        });
        return services;
    }
}
