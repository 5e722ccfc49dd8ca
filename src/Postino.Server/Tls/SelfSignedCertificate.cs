using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postino.Server.Tls;

/// <summary>
/// The embedded default's certificate: a self-signed ECDSA P-256 certificate for localhost, 127.0.0.1, ::1 and the
/// host name, written as PEM in the data folder on first start and reused afterwards.
/// </summary>
public static class SelfSignedCertificate
{
    public const string CertificateFileName = "tls-cert.pem";
    public const string PrivateKeyFileName = "tls-key.pem";

    /// <summary>Makes a new certificate valid from a day before <paramref name="now"/> for <paramref name="lifetime"/>.</summary>
    public static TlsCertificate Create(string hostName, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostName);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + hostName + ", O=Postino self-signed", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        if (!string.Equals(hostName, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            names.AddDnsName(hostName);
        }

        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        using var created = request.CreateSelfSigned(now.AddDays(-1), now.Add(lifetime));
        var withKey = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        return new TlsCertificate(withKey, []);
    }

    /// <summary>
    /// Returns the paths of the data folder's certificate and key, creating them first when either is missing. The key
    /// file is readable by the owner only.
    /// </summary>
    public static (string CertificatePath, string PrivateKeyPath) EnsurePemFiles(string dataFolder, string hostName, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataFolder);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var certificatePath = Path.Combine(dataFolder, CertificateFileName);
        var keyPath = Path.Combine(dataFolder, PrivateKeyFileName);
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            return (certificatePath, keyPath);
        }

        Storage.Files.PrivateFiles.CreateFolder(dataFolder);
        var certificate = Create(hostName, timeProvider.GetUtcNow(), TimeSpan.FromDays(3650));
        using var key = certificate.Certificate.GetECDsaPrivateKey()!;
        WriteAtomically(keyPath, key.ExportPkcs8PrivateKeyPem());
        WriteAtomically(certificatePath, certificate.Certificate.ExportCertificatePem() + "\n");
        return (certificatePath, keyPath);
    }

    /// <summary>Key and certificate alike 0600: the data folder's files are the server's alone.</summary>
    private static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temporary, System.Text.Encoding.ASCII, options))
        {
            writer.Write(text);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
