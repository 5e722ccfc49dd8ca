using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Postino.Storage.Users.Schemes;

/// <summary>
/// Dovecot's {PBKDF2}: <c>$1$salt$rounds$hex</c>, PBKDF2-HMAC-SHA1 with a 20-octet key; the salt is used as the
/// octets of its text, not decoded.
/// </summary>
public sealed class Pbkdf2Scheme : IPasswordHasher
{
    public const string SchemeName = "PBKDF2";
    private const int KeyLength = 20;
    private const int DefaultRounds = 5000;
    private const int NewSaltLength = 16;
    private const string SaltAlphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public string Name => SchemeName;

    public bool IsWellFormed(string encoded) => TryParse(encoded, out _, out _, out _);

    public bool Verify(string password, string encoded)
    {
        if (!TryParse(encoded, out var salt, out var rounds, out var expected))
        {
            return false;
        }

        var actual = Derive(password, salt, rounds);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetString(SaltAlphabet, NewSaltLength);
        var key = Derive(password, salt, DefaultRounds);
        return string.Create(CultureInfo.InvariantCulture, $"$1${salt}${DefaultRounds}${Convert.ToHexStringLower(key)}");
    }

    private static byte[] Derive(string password, string salt, int rounds) =>
        Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(password),
            Encoding.UTF8.GetBytes(salt),
            rounds,
            HashAlgorithmName.SHA1,
            KeyLength);

    private static bool TryParse(string encoded, out string salt, out int rounds, out byte[] key)
    {
        salt = string.Empty;
        rounds = 0;
        key = [];
        var parts = encoded.Split('$');
        if (parts.Length != 5 || parts[0].Length != 0 || parts[1] != "1" || parts[2].Length == 0)
        {
            return false;
        }

        if (!int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out rounds) || rounds < 1)
        {
            return false;
        }

        try
        {
            key = Convert.FromHexString(parts[4]);
        }
        catch (FormatException)
        {
            return false;
        }

        salt = parts[2];
        return key.Length == KeyLength;
    }
}
