using System.Security.Cryptography;
using System.Text;

namespace Postino.Storage.Users.Schemes;

/// <summary>{SHA512-CRYPT} (<c>$6$</c>) and {SHA256-CRYPT} (<c>$5$</c>): glibc's SHA-crypt.</summary>
public sealed class ShaCryptScheme : IPasswordHasher
{
    public const string Sha512Name = "SHA512-CRYPT";
    public const string Sha256Name = "SHA256-CRYPT";
    private const int NewSaltLength = 16;
    private const string SaltAlphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private readonly ShaCrypt crypt;

    private ShaCryptScheme(string name, ShaCrypt crypt)
    {
        Name = name;
        this.crypt = crypt;
    }

    public static ShaCryptScheme Sha512 { get; } = new(Sha512Name, ShaCrypt.Sha512);

    public static ShaCryptScheme Sha256 { get; } = new(Sha256Name, ShaCrypt.Sha256);

    public string Name { get; }

    /// <summary><c>$5$</c> or <c>$6$</c>: how a crypt string of this scheme starts.</summary>
    public string Prefix => crypt.Prefix;

    public bool IsWellFormed(string encoded) => crypt.TryParse(encoded, out _, out var hash) && hash.Length > 0;

    public bool Verify(string password, string encoded)
    {
        if (!crypt.TryParse(encoded, out var setting, out var hash) || hash.Length == 0)
        {
            return false;
        }

        // Only the hash part is compared: a stored rounds=999 means 1000, and Compute writes the clamped value.
        var actual = crypt.Compute(Encoding.UTF8.GetBytes(password), setting);
        var actualHash = actual[(actual.LastIndexOf('$') + 1)..];
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(actualHash), Encoding.ASCII.GetBytes(hash));
    }

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetString(SaltAlphabet, NewSaltLength);
        return crypt.Compute(Encoding.UTF8.GetBytes(password), new ShaCryptSetting(salt, null));
    }
}
