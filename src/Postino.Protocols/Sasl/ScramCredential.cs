using System.Security.Cryptography;
using System.Text;

namespace Postino.Protocols.Sasl;

/// <summary>
/// What a server keeps for SCRAM-SHA-256 (RFC 5802 section 3): enough to verify a client proof, nothing that logs in
/// by itself. <paramref name="User"/> is the canonical user name.
/// </summary>
public sealed record ScramCredential(string User, int Iterations, byte[] Salt, byte[] StoredKey, byte[] ServerKey)
{
    /// <summary>
    /// Derives the stored keys from a password (already prepared with <see cref="PrecisProfiles.OpaqueString"/> by the
    /// caller when it may contain non-ASCII characters).
    /// </summary>
    public static ScramCredential Derive(string user, string password, byte[] salt, int iterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(salt);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var salted = Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, SHA256.HashSizeInBytes);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        CryptographicOperations.ZeroMemory(salted);
        CryptographicOperations.ZeroMemory(clientKey);
        return new ScramCredential(user, iterations, salt, storedKey, serverKey);
    }
}
