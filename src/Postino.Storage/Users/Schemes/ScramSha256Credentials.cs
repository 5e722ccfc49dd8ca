using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Postino.Storage.Users.Schemes;

/// <summary>
/// The stored keys of SCRAM-SHA-256 (RFC 5802/7677): what a server needs to run the exchange without the password.
/// Dovecot's text form is <c>iterations,salt_b64,stored_key_b64,server_key_b64</c>.
/// </summary>
public sealed record ScramSha256Credentials(int Iterations, byte[] Salt, byte[] StoredKey, byte[] ServerKey)
{
    public const int DefaultIterations = 4096;
    private const int KeyLength = 32;
    private const int NewSaltLength = 16;

    /// <summary>Derives the stored keys from a password (salted password = PBKDF2-HMAC-SHA256).</summary>
    public static ScramSha256Credentials FromPassword(string password, byte[] salt, int iterations)
    {
        ArgumentNullException.ThrowIfNull(salt);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var salted = Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, KeyLength);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        CryptographicOperations.ZeroMemory(salted);
        CryptographicOperations.ZeroMemory(clientKey);
        return new ScramSha256Credentials(iterations, salt, storedKey, serverKey);
    }

    /// <summary>New stored keys with a random salt and the default iteration count.</summary>
    public static ScramSha256Credentials Create(string password) =>
        FromPassword(password, RandomNumberGenerator.GetBytes(NewSaltLength), DefaultIterations);

    /// <summary>Parses Dovecot's text form; false when it is malformed.</summary>
    public static bool TryParse(string encoded, [NotNullWhen(true)] out ScramSha256Credentials? credentials)
    {
        credentials = null;
        ArgumentNullException.ThrowIfNull(encoded);
        var parts = encoded.Split(',');
        if (parts.Length != 4
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations < 1)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[1]);
            var storedKey = Convert.FromBase64String(parts[2]);
            var serverKey = Convert.FromBase64String(parts[3]);
            if (salt.Length == 0 || storedKey.Length != KeyLength || serverKey.Length != KeyLength)
            {
                return false;
            }

            credentials = new ScramSha256Credentials(iterations, salt, storedKey, serverKey);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Dovecot's text form (without the <c>{SCRAM-SHA-256}</c> prefix).</summary>
    public string Encode() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Iterations},{Convert.ToBase64String(Salt)},{Convert.ToBase64String(StoredKey)},{Convert.ToBase64String(ServerKey)}");

    /// <summary>True when <paramref name="password"/> derives the same stored and server keys (constant time).</summary>
    public bool Matches(string password)
    {
        var candidate = FromPassword(password, Salt, Iterations);
        var storedOk = CryptographicOperations.FixedTimeEquals(candidate.StoredKey, StoredKey);
        var serverOk = CryptographicOperations.FixedTimeEquals(candidate.ServerKey, ServerKey);
        return storedOk & serverOk;
    }
}
