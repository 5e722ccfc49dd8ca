using System.Security.Cryptography;
using System.Text;

namespace Postino.Storage.Users.Schemes;

/// <summary>
/// {SSHA512}: base64 (or hex with the <c>.HEX</c> suffix) of <c>SHA512(password + salt) + salt</c>.
/// </summary>
public sealed class Ssha512Scheme(string name = Ssha512Scheme.SchemeName, bool hex = false) : IPasswordHasher
{
    public const string SchemeName = "SSHA512";
    private const int DigestLength = 64;
    private const int NewSaltLength = 8;

    public string Name { get; } = name;

    public bool IsWellFormed(string encoded) => TryDecode(encoded, out _);

    public bool Verify(string password, string encoded)
    {
        if (!TryDecode(encoded, out var raw))
        {
            return false;
        }

        var salt = raw.AsSpan(DigestLength);
        var actual = Digest(password, salt);
        return CryptographicOperations.FixedTimeEquals(actual, raw.AsSpan(0, DigestLength));
    }

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(NewSaltLength);
        byte[] raw = [.. Digest(password, salt), .. salt];
        return hex ? Convert.ToHexStringLower(raw) : Convert.ToBase64String(raw);
    }

    private static byte[] Digest(string password, ReadOnlySpan<byte> salt)
    {
        byte[] input = [.. Encoding.UTF8.GetBytes(password), .. salt];
        return SHA512.HashData(input);
    }

    private bool TryDecode(string encoded, out byte[] raw)
    {
        raw = [];
        try
        {
            raw = hex ? Convert.FromHexString(encoded) : Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            return false;
        }

        // Dovecot accepts any salt length, but a digest with no salt is plain SHA512, not this scheme.
        return raw.Length > DigestLength;
    }
}
