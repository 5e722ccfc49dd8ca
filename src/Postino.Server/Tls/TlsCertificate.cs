using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Postino.Server.Tls;

/// <summary>
/// A loaded server certificate with its private key and intermediates, ready for SslStream. Immutable: a reload makes
/// a new one, and sessions that already completed a handshake keep theirs.
/// </summary>
public sealed class TlsCertificate
{
    public TlsCertificate(X509Certificate2 certificate, X509Certificate2Collection intermediates)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(intermediates);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("The server certificate has no private key.", nameof(certificate));
        }

        Certificate = certificate;
        Intermediates = intermediates;
        Context = SslStreamCertificateContext.Create(certificate, intermediates, offline: true);
        TlsServerEndPoint = Tls.TlsServerEndPoint.Compute(certificate);
    }

    public X509Certificate2 Certificate { get; }

    public X509Certificate2Collection Intermediates { get; }

    /// <summary>What SslServerAuthenticationOptions.ServerCertificateContext takes (sends the chain).</summary>
    public SslStreamCertificateContext Context { get; }

    /// <summary>RFC 5929 tls-server-end-point data for SCRAM-SHA-256-PLUS, or null when undefined.</summary>
    public byte[]? TlsServerEndPoint { get; }

    public string Subject => Certificate.Subject;

    public DateTime NotAfter => Certificate.NotAfter;
}
