using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Tls;

/// <summary>Certificates made on the fly: a self-signed leaf, or a CA → leaf chain written as PEM files.</summary>
internal static class TestCertificates
{
    public static TlsCertificate SelfSigned(string host = "localhost") =>
        SelfSignedCertificate.Create(host, DateTimeOffset.UtcNow, TimeSpan.FromDays(2));

    /// <summary>Writes fullchain.pem (leaf then CA) and privkey.pem into <paramref name="folder"/>; returns the leaf.</summary>
    public static X509Certificate2 WriteLetsEncryptLayout(string folder, string commonName = "mail.example")
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Test CA " + commonName, caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=" + commonName, leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(commonName);
        leafRequest.CertificateExtensions.Add(names.Build());
        var leaf = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), RandomNumberGenerator.GetBytes(8));

        File.WriteAllText(Path.Combine(folder, "fullchain.pem"), leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(folder, "privkey.pem"), leafKey.ExportPkcs8PrivateKeyPem());
        return leaf;
    }

    public static string TemporaryFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "postino-tls-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}
