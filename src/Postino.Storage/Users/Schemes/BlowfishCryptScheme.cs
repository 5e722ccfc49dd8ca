using System.Text.RegularExpressions;

namespace Postino.Storage.Users.Schemes;

/// <summary>{BLF-CRYPT}: bcrypt, <c>$2y$</c>, <c>$2a$</c> or <c>$2b$</c> with a cost and a 22+31 character body.</summary>
public sealed partial class BlowfishCryptScheme(int newCost = BlowfishCryptScheme.DefaultCost) : IPasswordHasher
{
    public const string SchemeName = "BLF-CRYPT";

    /// <summary>The cost of new hashes: 2^12 rounds (doveadm writes 5, which is weak by today's measure).</summary>
    public const int DefaultCost = 12;

    public string Name => SchemeName;

    public bool IsWellFormed(string encoded) => Syntax().IsMatch(encoded);

    public bool Verify(string password, string encoded)
    {
        if (!IsWellFormed(encoded))
        {
            return false;
        }

        try
        {
            // BCrypt.Net compares the computed and stored strings in constant time.
            return BCrypt.Net.BCrypt.Verify(password, encoded);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }

    public string Hash(string password)
    {
        // Dovecot and PHP write $2y$; the algorithm is the same as $2b$.
        var hash = BCrypt.Net.BCrypt.HashPassword(password, BCrypt.Net.BCrypt.GenerateSalt(newCost, 'b'));
        return string.Concat("$2y$", hash.AsSpan(4));
    }

    [GeneratedRegex(@"^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$", RegexOptions.CultureInvariant)]
    private static partial Regex Syntax();
}
