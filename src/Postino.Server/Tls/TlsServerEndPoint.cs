using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postino.Server.Tls;

/// <summary>
/// The tls-server-end-point channel-binding data (RFC 5929 section 4.1): the hash of the server certificate with the
/// certificate's signature hash, SHA-256 when that is MD5 or SHA-1. SCRAM-SHA-256-PLUS binds to it.
/// </summary>
public static class TlsServerEndPoint
{
    /// <summary>
    /// The binding data, or null when RFC 5929 leaves it undefined for the certificate's signature algorithm
    /// (e.g. Ed25519, which uses no separate hash); then -PLUS is not offered.
    /// </summary>
    public static byte[]? Compute(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var hash = SignatureHash(certificate);
        if (hash is null)
        {
            return null;
        }

        var der = certificate.RawData;
        return hash.Value.Name switch
        {
            "SHA384" => SHA384.HashData(der),
            "SHA512" => SHA512.HashData(der),
            _ => SHA256.HashData(der),
        };
    }

    private static HashAlgorithmName? SignatureHash(X509Certificate2 certificate) =>
        certificate.SignatureAlgorithm.Value switch
        {
            "1.2.840.113549.1.1.4" or "1.2.840.113549.1.1.5" or "1.2.840.10045.4.1" => HashAlgorithmName.SHA256, // MD5, SHA-1
            "1.2.840.113549.1.1.11" or "1.2.840.10045.4.3.2" => HashAlgorithmName.SHA256,
            "1.2.840.113549.1.1.12" or "1.2.840.10045.4.3.3" => HashAlgorithmName.SHA384,
            "1.2.840.113549.1.1.13" or "1.2.840.10045.4.3.4" => HashAlgorithmName.SHA512,
            "1.2.840.113549.1.1.10" => PssHash(certificate),
            _ => null,
        };

    // RSASSA-PSS names its hash in the AlgorithmIdentifier parameters (RFC 4055); absent means SHA-1, i.e. SHA-256 here.
    private static HashAlgorithmName? PssHash(X509Certificate2 certificate)
    {
        try
        {
            var reader = new AsnReader(certificate.RawData, AsnEncodingRules.DER);
            var tbsAndSignature = reader.ReadSequence();
            tbsAndSignature.ReadEncodedValue();
            var algorithm = tbsAndSignature.ReadSequence();
            algorithm.ReadObjectIdentifier();
            if (!algorithm.HasData)
            {
                return HashAlgorithmName.SHA256;
            }

            var parameters = algorithm.ReadSequence();
            var hashTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            if (!parameters.HasData || !parameters.PeekTag().HasSameClassAndValue(hashTag))
            {
                return HashAlgorithmName.SHA256;
            }

            var hashAlgorithm = parameters.ReadSequence(hashTag).ReadSequence().ReadObjectIdentifier();
            return hashAlgorithm switch
            {
                "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
                "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
                _ => HashAlgorithmName.SHA256,
            };
        }
        catch (AsnContentException)
        {
            return null;
        }
    }
}
