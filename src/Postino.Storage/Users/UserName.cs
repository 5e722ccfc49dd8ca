using System.Text;

namespace Postino.Storage.Users;

/// <summary>
/// The one rule for user names, applied everywhere a name arrives (login, users file, CLI, mail paths): not empty, at
/// most 255 UTF-8 octets, no path separators, no <c>..</c>, no control characters, no <c>:</c> (the passwd-file field
/// separator) and no broken UTF-16. Other Unicode is allowed.
/// </summary>
public static class UserName
{
    public const int MaxOctets = 255;

    /// <summary>Why <paramref name="name"/> is refused, or null when it is acceptable.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "user name is empty";
        }

        if (name == "." || name.Contains("..", StringComparison.Ordinal))
        {
            return "user name contains '..' or is '.'";
        }

        var rest = name.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return "user name is not valid Unicode";
            }

            rest = rest[consumed..];
            if (Rune.IsControl(rune))
            {
                return "user name contains a control character";
            }

            if (rune.Value is '/' or '\\')
            {
                return "user name contains a path separator";
            }

            if (rune.Value == ':')
            {
                return "user name contains ':'";
            }
        }

        return Encoding.UTF8.GetByteCount(name) > MaxOctets
            ? $"user name is longer than {MaxOctets} octets"
            : null;
    }

    public static bool IsValid(string? name) => Problem(name) is null;

    /// <summary>Throws <see cref="ArgumentException"/> naming the problem when <paramref name="name"/> is refused.</summary>
    public static void EnsureValid(string? name)
    {
        if (Problem(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }
    }
}
