using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postino.Server.Tls;

/// <summary>
/// Loads a certificate chain and private key from PEM files, in the Let's Encrypt layout: fullchain.pem (leaf first,
/// then intermediates) and privkey.pem. A single file holding both also works.
/// </summary>
public static class PemCertificateLoader
{
    /// <exception cref="CryptographicException">The files are not a matching PEM certificate and key.</exception>
    /// <exception cref="IOException">A file can't be read.</exception>
    public static TlsCertificate Load(string certificatePath, string? privateKeyPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificatePath);
        X509Certificate2 leafWithEphemeralKey;
        try
        {
            leafWithEphemeralKey = X509Certificate2.CreateFromPemFile(certificatePath, privateKeyPath);
        }
        catch (ArgumentException exception)
        {
            // E.g. a key that belongs to another certificate: the files are wrong, not the call.
            throw new CryptographicException($"{certificatePath}: {exception.Message}", exception);
        }

        using var ephemeral = leafWithEphemeralKey;

        // A PEM-loaded key is ephemeral; a PKCS#12 round trip gives SslStream a key it can use on every platform.
        var leaf = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);

        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certificatePath);
        var intermediates = new X509Certificate2Collection();
        foreach (var certificate in all)
        {
            if (certificate.Thumbprint != leaf.Thumbprint)
            {
                intermediates.Add(certificate);
            }
            else
            {
                certificate.Dispose();
            }
        }

        return new TlsCertificate(leaf, intermediates);
    }
}
