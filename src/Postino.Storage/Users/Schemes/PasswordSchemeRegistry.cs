using System.Diagnostics.CodeAnalysis;

namespace Postino.Storage.Users.Schemes;

/// <summary>
/// The password schemes Postino knows, by Dovecot name (case-insensitive), and the split of a users-file password
/// <c>{SCHEME}encoded</c> into scheme and encoded part.
/// </summary>
public sealed class PasswordSchemeRegistry
{
    /// <summary>The scheme new passwords get.</summary>
    public const string DefaultSchemeName = Argon2idScheme.SchemeName;

    private readonly Dictionary<string, IPasswordScheme> schemes = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A registry with <paramref name="schemes"/>; each is found by its <see cref="IPasswordScheme.Name"/>.</summary>
    public PasswordSchemeRegistry(IEnumerable<IPasswordScheme> schemes)
    {
        ArgumentNullException.ThrowIfNull(schemes);
        foreach (var scheme in schemes)
        {
            this.schemes.Add(scheme.Name, scheme);
        }
    }

    /// <summary>Every scheme Postino supports, new Argon2id hashes at doveadm's cost.</summary>
    public static PasswordSchemeRegistry Default { get; } = CreateDefault(new Argon2idScheme());

    /// <summary>
    /// The supported schemes, with <paramref name="argon2"/> for {ARGON2ID} and <paramref name="blowfishCost"/> for new
    /// {BLF-CRYPT} hashes (tests pass cheap ones).
    /// </summary>
    public static PasswordSchemeRegistry CreateDefault(Argon2idScheme argon2, int blowfishCost = BlowfishCryptScheme.DefaultCost)
    {
        var blowfish = new BlowfishCryptScheme(blowfishCost);
        IPasswordScheme[] cryptFormats = [ShaCryptScheme.Sha512, ShaCryptScheme.Sha256, blowfish];
        return new PasswordSchemeRegistry(
        [
            argon2,
            blowfish,
            ShaCryptScheme.Sha512,
            ShaCryptScheme.Sha256,
            new CryptScheme(cryptFormats),
            new PlainScheme(),
            new PlainScheme("CLEAR"),
            new PlainScheme("CLEARTEXT"),
            new Ssha512Scheme(),
            new Ssha512Scheme("SSHA512.B64"),
            new Ssha512Scheme("SSHA512.BASE64"),
            new Ssha512Scheme("SSHA512.HEX", hex: true),
            new Pbkdf2Scheme(),
            new ScramSha256Scheme(),
        ]);
    }

    /// <summary>The names of all registered schemes, upper case.</summary>
    public IEnumerable<string> Names => schemes.Keys;

    public bool TryGet(string name, [NotNullWhen(true)] out IPasswordScheme? scheme) =>
        schemes.TryGetValue(name, out scheme);

    /// <summary>
    /// Splits a stored password into scheme name and encoded part. Without a <c>{...}</c> prefix the scheme is
    /// {CRYPT}, as in Dovecot's passwd-file. False when a <c>{</c> is not closed.
    /// </summary>
    public static bool TrySplit(string stored, out string schemeName, out string encoded)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.StartsWith('{'))
        {
            var close = stored.IndexOf('}', StringComparison.Ordinal);
            if (close < 2)
            {
                schemeName = string.Empty;
                encoded = string.Empty;
                return false;
            }

            schemeName = stored[1..close].ToUpperInvariant();
            encoded = stored[(close + 1)..];
            return true;
        }

        schemeName = CryptScheme.SchemeName;
        encoded = stored;
        return true;
    }

    /// <summary>Why <paramref name="stored"/> cannot be used, or null when it is a known scheme in good form.</summary>
    public string? Validate(string stored)
    {
        if (!TrySplit(stored, out var name, out var encoded))
        {
            return "password scheme prefix '{' is not closed";
        }

        if (!TryGet(name, out var scheme))
        {
            return $"unknown password scheme {{{name}}}";
        }

        return scheme.IsWellFormed(encoded) ? null : $"malformed {{{name}}} password";
    }

    /// <summary>True when <paramref name="password"/> matches the stored <c>{SCHEME}encoded</c>.</summary>
    public bool Verify(string password, string stored)
    {
        ArgumentNullException.ThrowIfNull(password);
        return TrySplit(stored, out var name, out var encoded)
            && TryGet(name, out var scheme)
            && scheme.Verify(password, encoded);
    }

    /// <summary>A new stored password <c>{SCHEME}encoded</c> (default {ARGON2ID}).</summary>
    public string Hash(string password, string schemeName = DefaultSchemeName)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryGet(schemeName, out var scheme) || scheme is not IPasswordHasher hasher)
        {
            throw new ArgumentException($"password scheme {schemeName} cannot make new hashes", nameof(schemeName));
        }

        return $"{{{hasher.Name}}}{hasher.Hash(password)}";
    }
}
