using System.Security.Cryptography;
using System.Text;

namespace Postino.Storage.Users.Schemes;

/// <summary>{PLAIN} (aliases {CLEAR}, {CLEARTEXT}): the password itself. Needed for APOP and CRAM-MD5.</summary>
public sealed class PlainScheme(string name = PlainScheme.SchemeName) : IPasswordHasher
{
    public const string SchemeName = "PLAIN";

    public string Name { get; } = name;

    public bool IsWellFormed(string encoded) => true;

    public bool Verify(string password, string encoded) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(encoded));

    public string Hash(string password) => password;
}
