using System.Globalization;

namespace Postino.Storage.Maildir;

/// <summary>
/// The text form of index lines: <c>UIDL TAB SIZE TAB RECEIVED-MS TAB FIRST-RETRIEVED-MS-or-dash TAB BASENAME</c>.
/// The base name comes last so that nothing in it can shift the other fields.
/// </summary>
internal static class MaildirIndexFormat
{
    public const string Header = "postino-index 1";
    public const string EndPrefix = "end ";

    public static string Format(MaildirIndexEntry entry)
    {
        var retrieved = entry.FirstRetrievedAt is { } at
            ? at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)
            : "-";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{entry.Uidl}\t{entry.Size}\t{entry.ReceivedAt.ToUnixTimeMilliseconds()}\t{retrieved}\t{entry.BaseName}");
    }

    public static MaildirIndexEntry? TryParse(string line)
    {
        var fields = line.Split('\t', 5);
        if (fields.Length != 5
            || !MaildirUidl.IsValid(fields[0])
            || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || !TryParseTime(fields[2], out var received)
            || fields[4].Length == 0
            || fields[4].Contains('/', StringComparison.Ordinal))
        {
            return null;
        }

        DateTimeOffset? retrieved = null;
        if (fields[3] != "-")
        {
            if (!TryParseTime(fields[3], out var at))
            {
                return null;
            }

            retrieved = at;
        }

        return new MaildirIndexEntry(fields[4], fields[0], size, received, retrieved);
    }

    private static bool TryParseTime(string text, out DateTimeOffset time)
    {
        time = default;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }
}
