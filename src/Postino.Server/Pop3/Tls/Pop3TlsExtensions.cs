using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Postino.Server.Hosting;
using Postino.Server.Tls;

namespace Postino.Server.Pop3.Tls;

/// <summary>Registers TLS for POP3: STLS, the plaintext-login policy, and the POP3S (implicit TLS) listener.</summary>
public static class Pop3TlsExtensions
{
    /// <summary>
    /// STLS (offered while the connection is plain and a certificate is configured) and the plaintext-login policy.
    /// Register after AddPop3: the policy replaces the default one. With <paramref name="settings"/> null (no
    /// certificate) there is no STLS, but the policy still applies.
    /// </summary>
    public static IServiceCollection AddPop3Tls(this IServiceCollection services, TlsServerSettings? settings, PlaintextAuthPolicy plaintext)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(plaintext);
        settings ??= new TlsServerSettings(new FixedCertificateProvider(null));
        // The one plaintext policy of the server: POP2's HELO reads the same registration.
        services.Replace(ServiceDescriptor.Singleton(plaintext));
        services.AddSingleton<IPop3LoginPolicy>(new TlsPlaintextLoginPolicy(plaintext));
        services.AddSingleton<IPop3Command>(new StlsCommand(settings));
        services.AddSingleton<IPop3Capability>(new Pop3Capability("STLS", 15, s => settings.IsAvailable && !s.IsSecure ? "STLS" : null));
        return services;
    }

    /// <summary>The POP3S listener "pop3s" at <paramref name="address"/> ("ADDR:PORT", or "none" for no listener).</summary>
    public static PostinoServerBuilder AddPop3s(this PostinoServerBuilder builder, string address, TlsServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        return builder.AddListener<Pop3ConnectionHandler>("pop3s", address, ListenerTls.Implicit, o => o.UseImplicitTls(settings));
    }
}
