using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Tls;

public class TlsServerEndPointTests
{
    [Fact]
    public void Ecdsa_sha256_certificate_hashes_with_sha256()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSign(new CertificateRequest("CN=a", key, HashAlgorithmName.SHA256));
        Assert.Equal(SHA256.HashData(certificate.RawData), TlsServerEndPoint.Compute(certificate));
    }

    [Fact]
    public void Ecdsa_sha384_certificate_hashes_with_sha384()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var certificate = SelfSign(new CertificateRequest("CN=a", key, HashAlgorithmName.SHA384));
        Assert.Equal(SHA384.HashData(certificate.RawData), TlsServerEndPoint.Compute(certificate));
    }

    [Fact]
    public void Rsa_sha512_certificate_hashes_with_sha512()
    {
        using var key = RSA.Create(2048);
        using var certificate = SelfSign(new CertificateRequest("CN=a", key, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1));
        Assert.Equal(SHA512.HashData(certificate.RawData), TlsServerEndPoint.Compute(certificate));
    }

    [Fact]
    public void Sha1_signed_certificate_hashes_with_sha256()
    {
        // .NET refuses to make SHA-1 certificates, so sign one by hand with a generator that names sha1WithRSAEncryption.
        using var key = RSA.Create(2048);
        var generator = new Sha1RsaSignatureGenerator(key);
        var name = new X500DistinguishedName("CN=a");
        using var certificate = new CertificateRequest(name, generator.PublicKey, HashAlgorithmName.SHA256)
            .Create(name, generator, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3]);
        Assert.Equal("1.2.840.113549.1.1.5", certificate.SignatureAlgorithm.Value);
        Assert.Equal(SHA256.HashData(certificate.RawData), TlsServerEndPoint.Compute(certificate));
    }

    [Fact]
    public void Rsa_pss_certificate_uses_the_hash_named_in_its_parameters()
    {
        using var key = RSA.Create(2048);
        using var certificate = SelfSign(new CertificateRequest("CN=a", key, HashAlgorithmName.SHA384, RSASignaturePadding.Pss));
        Assert.Equal("1.2.840.113549.1.1.10", certificate.SignatureAlgorithm.Value);
        Assert.Equal(SHA384.HashData(certificate.RawData), TlsServerEndPoint.Compute(certificate));
    }

    private static X509Certificate2 SelfSign(CertificateRequest request) =>
        request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

    private sealed class Sha1RsaSignatureGenerator(RSA key) : X509SignatureGenerator
    {
        public new PublicKey PublicKey => BuildPublicKey();

        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) =>
            [0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x05, 0x05, 0x00];

#pragma warning disable CA5350 // The point of the test is a SHA-1 signed certificate.
        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) =>
            key.SignData(data, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
#pragma warning restore CA5350

        protected override PublicKey BuildPublicKey() => CreateForRSA(key, RSASignaturePadding.Pkcs1).PublicKey;
    }
}
