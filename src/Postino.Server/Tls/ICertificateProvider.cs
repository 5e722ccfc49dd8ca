namespace Postino.Server.Tls;

/// <summary>
/// The certificate new TLS handshakes use. Read it at each handshake: it can change while the server runs.
/// </summary>
public interface ICertificateProvider
{
    /// <summary>The current certificate, or null when TLS is not configured (then STLS is not offered).</summary>
    TlsCertificate? Current { get; }
}

/// <summary>A certificate that never changes (tests, or a certificate supplied in code).</summary>
public sealed class FixedCertificateProvider(TlsCertificate? certificate) : ICertificateProvider
{
    public TlsCertificate? Current { get; } = certificate;
}
