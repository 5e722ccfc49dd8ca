using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace Postino.Storage.Users.Schemes;

/// <summary>
/// {ARGON2ID} as doveadm writes it: the PHC string <c>$argon2id$v=19$m=KiB,t=passes,p=lanes$salt$hash</c> with
/// unpadded base64. New hashes use doveadm's defaults (64 MiB, 3 passes, 1 lane, 16-octet salt, 32-octet hash).
/// </summary>
public sealed class Argon2idScheme : IPasswordHasher
{
    public const string SchemeName = "ARGON2ID";
    private const int Version13 = 19;
    private const int NewSaltLength = 16;
    private const int NewHashLength = 32;

    // Limits keep a hostile or mistyped users file from making one verification take the machine down.
    private const int MaxMemoryKiB = 4 * 1024 * 1024;
    private const int MaxPasses = 1024;
    private const int MaxLanes = 255;

    private readonly Argon2Parameters newHashParameters;

    public Argon2idScheme()
        : this(new Argon2Parameters(65536, 3, 1))
    {
    }

    /// <summary>A scheme whose new hashes use <paramref name="newHashParameters"/> (tests use small ones).</summary>
    public Argon2idScheme(Argon2Parameters newHashParameters) => this.newHashParameters = newHashParameters;

    public string Name => SchemeName;

    public bool IsWellFormed(string encoded) => TryParse(encoded, out _, out _, out _);

    public bool Verify(string password, string encoded)
    {
        if (!TryParse(encoded, out var parameters, out var salt, out var expected))
        {
            return false;
        }

        var actual = Derive(password, salt, parameters, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(NewSaltLength);
        var hash = Derive(password, salt, newHashParameters, NewHashLength);
        var p = newHashParameters;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"$argon2id$v={Version13}$m={p.MemoryKiB},t={p.Passes},p={p.Lanes}${Unpadded(salt)}${Unpadded(hash)}");
    }

    private static byte[] Derive(string password, byte[] salt, Argon2Parameters parameters, int length)
    {
        using var argon = new Argon2id(Encoding.UTF8.GetBytes(password))
        {
            Salt = salt,
            MemorySize = parameters.MemoryKiB,
            Iterations = parameters.Passes,
            DegreeOfParallelism = parameters.Lanes,
        };
        return argon.GetBytes(length);
    }

    private static bool TryParse(string encoded, out Argon2Parameters parameters, out byte[] salt, out byte[] hash)
    {
        parameters = default;
        salt = [];
        hash = [];
        var parts = encoded.Split('$');
        if (parts.Length != 6 || parts[0].Length != 0 || parts[1] != "argon2id" || parts[2] != "v=19")
        {
            return false;
        }

        if (!TryParseParameters(parts[3], out parameters)
            || !TryDecodeUnpadded(parts[4], out salt)
            || !TryDecodeUnpadded(parts[5], out hash))
        {
            return false;
        }

        return salt.Length >= 8 && hash.Length >= 4;
    }

    private static bool TryParseParameters(string text, out Argon2Parameters parameters)
    {
        parameters = default;
        int? memory = null, passes = null, lanes = null;
        foreach (var pair in text.Split(','))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals < 1
                || !int.TryParse(pair.AsSpan(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            switch (pair[..equals])
            {
                case "m": memory = value; break;
                case "t": passes = value; break;
                case "p": lanes = value; break;
                default: return false;
            }
        }

        if (memory is not { } m || passes is not { } t || lanes is not { } p)
        {
            return false;
        }

        if (p < 1 || p > MaxLanes || t < 1 || t > MaxPasses || m < 8 * p || m > MaxMemoryKiB)
        {
            return false;
        }

        parameters = new Argon2Parameters(m, t, p);
        return true;
    }

    private static string Unpadded(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryDecodeUnpadded(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Contains('=', StringComparison.Ordinal))
        {
            return false;
        }

        var padded = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        try
        {
            bytes = Convert.FromBase64String(padded);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>Argon2 cost: memory in KiB, passes (t) and lanes (p).</summary>
public readonly record struct Argon2Parameters(int MemoryKiB, int Passes, int Lanes);
