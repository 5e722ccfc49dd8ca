using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Postino.Storage.Users.Schemes;

/// <summary>
/// The SHA-crypt algorithm of glibc (<c>$5$</c> SHA-256, <c>$6$</c> SHA-512), after Ulrich Drepper's published
/// specification "Unix crypt using SHA-256 and SHA-512": salt up to 16 characters, <c>rounds=</c> from 1000 to
/// 999999999 (default 5000, clamped like glibc).
/// </summary>
internal sealed class ShaCrypt
{
    public const int MaxSaltLength = 16;
    public const int DefaultRounds = 5000;
    public const int MinRounds = 1000;
    public const int MaxRounds = 999_999_999;
    private const string RoundsPrefix = "rounds=";
    private const string Alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    // Which digest bytes make up each 4-character group of the output, as the specification lists them.
    private static readonly int[][] Sha256Order =
    [
        [0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14],
        [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29],
    ];

    private static readonly int[][] Sha512Order =
    [
        [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48],
        [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13],
        [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
    ];

    private readonly HashAlgorithmName algorithm;
    private readonly int digestLength;

    private ShaCrypt(string prefix, HashAlgorithmName algorithm, int digestLength)
    {
        Prefix = prefix;
        this.algorithm = algorithm;
        this.digestLength = digestLength;
    }

    public static ShaCrypt Sha256 { get; } = new("$5$", HashAlgorithmName.SHA256, 32);

    public static ShaCrypt Sha512 { get; } = new("$6$", HashAlgorithmName.SHA512, 64);

    /// <summary><c>$5$</c> or <c>$6$</c>.</summary>
    public string Prefix { get; }

    private int EncodedHashLength => digestLength == 32 ? 43 : 86;

    /// <summary>Splits <c>$6$[rounds=N$]salt$hash</c>; the hash part is empty when only a setting was given.</summary>
    public bool TryParse(string encoded, out ShaCryptSetting setting, out string hash)
    {
        setting = default;
        hash = string.Empty;
        if (!encoded.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = encoded.AsSpan(Prefix.Length);
        int? rounds = null;
        if (rest.StartsWith(RoundsPrefix, StringComparison.Ordinal))
        {
            var end = rest.IndexOf('$');
            if (end < 0
                || !long.TryParse(rest[RoundsPrefix.Length..end], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }

            rounds = (int)Math.Clamp(n, MinRounds, MaxRounds);
            rest = rest[(end + 1)..];
        }

        var saltEnd = rest.IndexOf('$');
        var salt = saltEnd < 0 ? rest : rest[..saltEnd];
        hash = saltEnd < 0 ? string.Empty : rest[(saltEnd + 1)..].ToString();
        if (salt.Length > MaxSaltLength)
        {
            // glibc silently uses the first 16 characters; a stored hash always has the truncated salt.
            if (saltEnd >= 0)
            {
                return false;
            }

            salt = salt[..MaxSaltLength];
        }

        if (salt.ContainsAny(':', '\n', '\r'))
        {
            return false;
        }

        setting = new ShaCryptSetting(salt.ToString(), rounds);
        return hash.Length == 0 || (hash.Length == EncodedHashLength && IsAlphabet(hash));
    }

    /// <summary>The full crypt string for <paramref name="password"/> under <paramref name="setting"/>.</summary>
    public string Compute(ReadOnlySpan<byte> password, ShaCryptSetting setting)
    {
        var salt = Encoding.UTF8.GetBytes(setting.Salt);
        var rounds = setting.Rounds ?? DefaultRounds;

        // Digest B = H(P S P).
        var b = Hash(password, salt, password);

        // Digest A = H(P S, then B for each digest-length block of P, then B or P for each bit of len(P)).
        using var a = IncrementalHash.CreateHash(algorithm);
        a.AppendData(password);
        a.AppendData(salt);
        var remaining = password.Length;
        for (; remaining > digestLength; remaining -= digestLength)
        {
            a.AppendData(b);
        }

        a.AppendData(b.AsSpan(0, remaining));
        for (var bits = password.Length; bits > 0; bits >>= 1)
        {
            a.AppendData((bits & 1) != 0 ? b : password);
        }

        var c = a.GetHashAndReset();

        // P sequence: H(P repeated len(P) times), stretched to len(P).
        for (var i = 0; i < password.Length; i++)
        {
            a.AppendData(password);
        }

        var pSequence = Stretch(a.GetHashAndReset(), password.Length);

        // S sequence: H(S repeated 16 + A[0] times), stretched to len(S).
        for (var i = 0; i < 16 + c[0]; i++)
        {
            a.AppendData(salt);
        }

        var sSequence = Stretch(a.GetHashAndReset(), salt.Length);

        for (var round = 0; round < rounds; round++)
        {
            var odd = (round & 1) != 0;
            a.AppendData(odd ? pSequence : c);
            if (round % 3 != 0)
            {
                a.AppendData(sSequence);
            }

            if (round % 7 != 0)
            {
                a.AppendData(pSequence);
            }

            a.AppendData(odd ? c : pSequence);
            c = a.GetHashAndReset();
        }

        var output = new StringBuilder(Prefix);
        if (setting.Rounds is { } explicitRounds)
        {
            output.Append(CultureInfo.InvariantCulture, $"{RoundsPrefix}{explicitRounds}$");
        }

        output.Append(setting.Salt).Append('$');
        Encode(c, output);
        CryptographicOperations.ZeroMemory(pSequence);
        return output.ToString();
    }

    private static bool IsAlphabet(string text)
    {
        foreach (var ch in text)
        {
            if (!Alphabet.Contains(ch, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static byte[] Stretch(byte[] digest, int length)
    {
        var result = new byte[length];
        for (var offset = 0; offset < length; offset += digest.Length)
        {
            digest.AsSpan(0, Math.Min(digest.Length, length - offset)).CopyTo(result.AsSpan(offset));
        }

        return result;
    }

    private byte[] Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        hash.AppendData(first);
        hash.AppendData(second);
        hash.AppendData(third);
        return hash.GetHashAndReset();
    }

    private void Encode(byte[] digest, StringBuilder output)
    {
        foreach (var group in digestLength == 32 ? Sha256Order : Sha512Order)
        {
            Append24Bits(output, digest[group[0]], digest[group[1]], digest[group[2]], 4);
        }

        if (digestLength == 32)
        {
            Append24Bits(output, 0, digest[31], digest[30], 3);
        }
        else
        {
            Append24Bits(output, 0, 0, digest[63], 2);
        }
    }

    private static void Append24Bits(StringBuilder output, byte high, byte middle, byte low, int characters)
    {
        var word = (high << 16) | (middle << 8) | low;
        for (var i = 0; i < characters; i++)
        {
            output.Append(Alphabet[word & 0x3f]);
            word >>= 6;
        }
    }
}

/// <summary>A SHA-crypt salt and, when written explicitly, its rounds.</summary>
internal readonly record struct ShaCryptSetting(string Salt, int? Rounds);
