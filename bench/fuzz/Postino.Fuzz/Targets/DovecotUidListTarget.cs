using Postino.Storage.Dovecot;

namespace Postino.Fuzz.Targets;

/// <summary>
/// A Dovecot <c>dovecot-uidlist</c>, read by <c>postino import dovecot</c> from a Maildir anyone with access to it may
/// have written: parsing never throws (a bad line is a warning with its line number), and every record it keeps gives
/// a UIDL under Dovecot's default format.
/// </summary>
internal static class DovecotUidListTarget
{
    public static void Run(byte[] input)
    {
        using var stream = new MemoryStream(input);
        var list = DovecotUidList.Parse(stream, static (line, _) =>
        {
            if (line < 1)
            {
                throw new InvalidOperationException($"a warning named line {line}");
            }
        });
        if (list is null)
        {
            return;
        }

        foreach (var record in list.Records.Values)
        {
            _ = DovecotUidlFormat.Default.UidlOf(record, list.UidValidity);
        }
    }
}
