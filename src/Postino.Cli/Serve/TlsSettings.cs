using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Postino.Cli.Configuration;
using Postino.Server.Tls;

namespace Postino.Cli.Serve;

/// <summary>
/// The <c>Tls</c> section: <c>CertificateFile</c> (fullchain.pem) and <c>PrivateKeyFile</c> (privkey.pem),
/// <c>Protocols</c> ("Tls12,Tls13"), <c>CipherSuites</c>, <c>ReloadInterval</c>. Without a certificate, a self-signed
/// one is made in DATA/tls on first start (the embedded default), unless <c>Tls:SelfSigned</c> is false.
/// </summary>
internal sealed class TlsSettings
{
    public string? CertificateFile { get; set; }

    public string? PrivateKeyFile { get; set; }

    public string? Protocols { get; set; }

    public string? CipherSuites { get; set; }

    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromMinutes(1);

    public bool SelfSigned { get; set; } = true;

    /// <summary>
    /// A listener's own certificate: <c>LISTENER:CertificateFile</c> and <c>LISTENER:PrivateKeyFile</c> (e.g. <c>Pop3s</c>),
    /// with the <c>Tls</c> section's protocols and ciphers; null when the listener names no certificate of its own.
    /// </summary>
    public static (FileCertificateProvider Provider, TlsServerSettings Settings)? BuildForListener(
        IConfiguration configuration, string listener, DataFolder data, string hostName, TimeProvider time, ILoggerFactory loggers)
    {
        if (configuration[$"{listener}:CertificateFile"] is not { Length: > 0 } certificate)
        {
            return null;
        }

        var overrides = new Dictionary<string, string?>
        {
            ["Tls:CertificateFile"] = certificate,
            ["Tls:PrivateKeyFile"] = configuration[$"{listener}:PrivateKeyFile"],
        };
        var merged = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(overrides).Build();
        return Build(merged, data, hostName, time, loggers, $"{listener}:CertificateFile");
    }

    /// <summary>The certificate provider and TLS options, or null when TLS is off (no certificate, no self-signed).</summary>
    public static (FileCertificateProvider Provider, TlsServerSettings Settings)? Build(
        IConfiguration configuration, DataFolder data, string hostName, TimeProvider time, ILoggerFactory loggers, string certificateKey = "Tls:CertificateFile")
    {
        var settings = ConfigurationLoader.Bind(configuration, "Tls", new TlsSettings());
        // Limits:HandshakeTimeout bounds STLS/STARTTLS handshakes as it bounds implicit-TLS ones (LimitSettings checked it).
        var options = new TlsOptions { HandshakeTimeout = configuration.GetValue<TimeSpan?>("Limits:HandshakeTimeout") ?? new LimitSettings().HandshakeTimeout };
        try
        {
            if (settings.Protocols is { Length: > 0 } protocols)
            {
                options = options with { Protocols = TlsOptions.ParseProtocols(protocols) };
            }

            if (settings.CipherSuites is { Length: > 0 } suites)
            {
                options = options with { CipherSuites = TlsOptions.ParseCipherSuites(suites) };
            }
        }
        catch (FormatException exception)
        {
            throw new ConfigurationProblem($"Tls: {exception.Message}");
        }

        string certificate;
        string? key;
        if (settings.CertificateFile is { Length: > 0 } file)
        {
            certificate = Path.Combine(data.Path, file);
            key = settings.PrivateKeyFile is { Length: > 0 } keyFile ? Path.Combine(data.Path, keyFile) : null;
        }
        else if (settings.SelfSigned)
        {
            (certificate, key) = SelfSignedCertificate.EnsurePemFiles(data.TlsFolder, hostName, time);
        }
        else
        {
            return null;
        }

        try
        {
            var provider = new FileCertificateProvider(certificate, key, time, settings.ReloadInterval, loggers.CreateLogger<FileCertificateProvider>());
            return (provider, new TlsServerSettings(provider, options));
        }
        catch (Exception exception) when (exception is IOException or System.Security.Cryptography.CryptographicException or ArgumentException or InvalidOperationException)
        {
            throw new ConfigurationProblem($"{certificateKey}: cannot load {certificate}{(key is null ? "" : " with " + key)}: {exception.Message}");
        }
    }
}
