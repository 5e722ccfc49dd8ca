using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Postino.Server.Tls;

/// <summary>A certificate source and TLS options: everything a handshake needs, read afresh for each connection.</summary>
public sealed class TlsServerSettings
{
    public TlsServerSettings(ICertificateProvider certificates, TlsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        Certificates = certificates;
        Options = options ?? new TlsOptions();
        if (Options.CipherSuites is not null && OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("A TLS cipher suite policy can't be set on Windows; leave it unset there.");
        }
    }

    public ICertificateProvider Certificates { get; }

    public TlsOptions Options { get; }

    /// <summary>True when a certificate is configured (STLS may be offered).</summary>
    public bool IsAvailable => Certificates.Current is not null;

    /// <summary>
    /// Options for one server handshake with the certificate current right now (returned too, for channel binding), or
    /// null when there is no certificate.
    /// </summary>
    public (SslServerAuthenticationOptions Options, TlsCertificate Certificate)? CreateAuthenticationOptions()
    {
        var certificate = Certificates.Current;
        if (certificate is null)
        {
            return null;
        }

        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate.Context,
            EnabledSslProtocols = Options.Protocols,
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            EncryptionPolicy = EncryptionPolicy.RequireEncryption,
        };
        if (Options.CipherSuites is { } suites && !OperatingSystem.IsWindows())
        {
            options.CipherSuitesPolicy = new CipherSuitesPolicy(suites);
        }

        return (options, certificate);
    }
}
