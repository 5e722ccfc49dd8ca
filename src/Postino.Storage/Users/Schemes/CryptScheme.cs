namespace Postino.Storage.Users.Schemes;

/// <summary>
/// {CRYPT}, also what a password without a <c>{SCHEME}</c> prefix means in a passwd-file (Dovecot's default scheme):
/// the system crypt() formats Postino implements, recognised by their prefix (<c>$6$</c>, <c>$5$</c>, <c>$2y$</c>...).
/// DES and MD5 crypt are not supported and make the line malformed.
/// </summary>
public sealed class CryptScheme(IReadOnlyList<IPasswordScheme> formats) : IPasswordScheme
{
    public const string SchemeName = "CRYPT";

    public string Name => SchemeName;

    public bool IsWellFormed(string encoded) => FormatOf(encoded) is not null;

    public bool Verify(string password, string encoded) => FormatOf(encoded)?.Verify(password, encoded) ?? false;

    private IPasswordScheme? FormatOf(string encoded)
    {
        foreach (var format in formats)
        {
            if (format.IsWellFormed(encoded))
            {
                return format;
            }
        }

        return null;
    }
}
