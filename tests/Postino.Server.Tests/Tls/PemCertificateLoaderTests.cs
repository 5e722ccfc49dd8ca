using System.Security.Cryptography;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Tls;

public sealed class PemCertificateLoaderTests : IDisposable
{
    private readonly string _folder = TestCertificates.TemporaryFolder();

    [Fact]
    public void Lets_encrypt_layout_loads_leaf_key_and_intermediates()
    {
        var leaf = TestCertificates.WriteLetsEncryptLayout(_folder);
        var loaded = PemCertificateLoader.Load(Path.Combine(_folder, "fullchain.pem"), Path.Combine(_folder, "privkey.pem"));
        Assert.Equal(leaf.Thumbprint, loaded.Certificate.Thumbprint);
        Assert.True(loaded.Certificate.HasPrivateKey);
        Assert.StartsWith("CN=Test CA", Assert.Single(loaded.Intermediates).Subject);
        Assert.NotNull(loaded.TlsServerEndPoint);
    }

    [Fact]
    public void One_file_with_certificate_and_key_loads()
    {
        TestCertificates.WriteLetsEncryptLayout(_folder);
        var combined = Path.Combine(_folder, "combined.pem");
        File.WriteAllText(combined, File.ReadAllText(Path.Combine(_folder, "fullchain.pem")) + File.ReadAllText(Path.Combine(_folder, "privkey.pem")));
        Assert.True(PemCertificateLoader.Load(combined).Certificate.HasPrivateKey);
    }

    [Fact]
    public void Key_of_another_certificate_is_refused()
    {
        TestCertificates.WriteLetsEncryptLayout(_folder);
        var other = Path.Combine(_folder, "other");
        Directory.CreateDirectory(other);
        TestCertificates.WriteLetsEncryptLayout(other);
        Assert.ThrowsAny<CryptographicException>(() =>
            PemCertificateLoader.Load(Path.Combine(_folder, "fullchain.pem"), Path.Combine(other, "privkey.pem")));
    }

    [Fact]
    public void Missing_file_is_an_io_error() =>
        Assert.ThrowsAny<IOException>(() => PemCertificateLoader.Load(Path.Combine(_folder, "none.pem"), Path.Combine(_folder, "none-key.pem")));

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
