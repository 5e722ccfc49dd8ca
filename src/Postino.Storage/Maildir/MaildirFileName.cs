using System.Globalization;

namespace Postino.Storage.Maildir;

/// <summary>
/// A Maildir file name split into its base name (the message's permanent key) and its info (<c>:2,FLAGS</c>), with the
/// size fields other delivery agents put in the base name (<c>,S=</c> file size, <c>,W=</c> CRLF size).
/// </summary>
internal readonly record struct MaildirFileName(string FullName, string BaseName, string? Info)
{
    private const string InfoPrefix = "2,";

    public static MaildirFileName Parse(string fullName)
    {
        var colon = fullName.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? new MaildirFileName(fullName, fullName, null)
            : new MaildirFileName(fullName, fullName[..colon], fullName[(colon + 1)..]);
    }

    /// <summary>The Maildir flags (the part after <c>:2,</c>), empty when there are none.</summary>
    public string Flags => Info is { } info && info.StartsWith(InfoPrefix, StringComparison.Ordinal) ? info[InfoPrefix.Length..] : "";

    /// <summary>The <c>,W=</c> value: the size with CRLF line ends, as Dovecot and Postino record it.</summary>
    public long? WireSize => FindSizeField(BaseName, 'W');

    /// <summary>The <c>,S=</c> value: the size of the file as stored.</summary>
    public long? StoredSize => FindSizeField(BaseName, 'S');

    /// <summary>
    /// The delivery time most delivery agents put first in the name (Unix seconds), or null when the name does not start
    /// with a plausible one.
    /// </summary>
    public DateTimeOffset? DeliveredAt
    {
        get
        {
            var dot = BaseName.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || !long.TryParse(BaseName.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return null;
            }

            // Earlier than 1990 or later than 2200 is not a delivery time but something else that happens to be digits.
            return seconds is < 631152000 or > 7258118400 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
    }

    /// <summary>
    /// The file name in <c>cur/</c> with flag <paramref name="flag"/> added: flags stay in ASCII order as the Maildir
    /// convention asks, and an info that is not <c>2,</c> (experimental semantics) is left alone.
    /// </summary>
    public string WithFlag(char flag)
    {
        if (Info is null)
        {
            return $"{BaseName}:{InfoPrefix}{flag}";
        }

        if (!Info.StartsWith(InfoPrefix, StringComparison.Ordinal) || Flags.Contains(flag, StringComparison.Ordinal))
        {
            return FullName;
        }

        var flags = (Flags + flag).ToCharArray();
        Array.Sort(flags);
        return $"{BaseName}:{InfoPrefix}{new string(flags)}";
    }

    /// <summary>The name a message takes when it moves from <c>new/</c> to <c>cur/</c>: the same, with an empty info.</summary>
    public string CurName => Info is null ? $"{BaseName}:{InfoPrefix}" : FullName;

    private static long? FindSizeField(string baseName, char field)
    {
        var marker = $",{field}=";
        var at = baseName.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var digits = baseName.AsSpan(at + marker.Length);
        var end = 0;
        while (end < digits.Length && char.IsAsciiDigit(digits[end]))
        {
            end++;
        }

        return end > 0 && long.TryParse(digits[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
