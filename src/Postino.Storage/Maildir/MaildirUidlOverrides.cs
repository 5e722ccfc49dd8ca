using System.Text;

namespace Postino.Storage.Maildir;

/// <summary>
/// The UIDLs a migration gave messages (<c>postino-uidls</c> in the Maildir root): the UIDL the previous server gave
/// each imported message, by base name, so that clients that keep mail on the server see nothing new. The snapshot
/// loader reads it only when it meets messages the index does not know yet, and gives them these UIDLs instead of the
/// ones derived from their names; the index then keeps them, and a rebuilt index finds them here again. New deliveries
/// are not in it and get the usual UIDLs. Written whole and atomically (temporary file, fsync, rename, fsync of the
/// folder), 0600, only by <c>postino import</c>; never shrunk, so a message the client deleted on Postino is known as
/// imported and a second import does not bring it back.
/// <code>postino-uidls 1
/// BASENAME TAB UIDL
/// </code>
/// </summary>
internal static class MaildirUidlOverrides
{
    public const string FileName = "postino-uidls";
    public const string Header = "postino-uidls 1";

    /// <summary>A base name is at most 255 octets, a UIDL 70; longer lines are not ours.</summary>
    private const int MaxLineLength = 400;

    /// <summary>The overrides of a Maildir (empty when it has none); bad lines are passed to <paramref name="skipped"/>.</summary>
    public static Dictionary<string, string> Load(string maildir, Action<int, string>? skipped = null)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        FileStream stream;
        try
        {
            stream = Files.PrivateFiles.OpenRead(Path.Combine(maildir, FileName));
        }
        catch (FileNotFoundException)
        {
            return result;
        }
        catch (DirectoryNotFoundException)
        {
            return result;
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        if (reader.ReadLine() != Header)
        {
            skipped?.Invoke(1, "unknown header; no UIDL kept from it");
            return result;
        }

        var number = 1;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (line.Length > MaxLineLength || tab <= 0 || !MaildirUidl.IsValid(line[(tab + 1)..]) || !IsBaseName(line[..tab]))
            {
                skipped?.Invoke(number, "not BASENAME TAB UIDL");
                continue;
            }

            result.TryAdd(line[..tab], line[(tab + 1)..]);
        }

        return result;
    }

    /// <summary>Replaces the file with <paramref name="overrides"/> (which should include what was there).</summary>
    public static async ValueTask SaveAsync(string maildir, IReadOnlyDictionary<string, string> overrides, CancellationToken cancellationToken)
    {
        var text = new StringBuilder(Header.Length + 1 + (overrides.Count * 64));
        text.Append(Header).Append('\n');
        foreach (var (baseName, uidl) in overrides.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!IsBaseName(baseName) || !MaildirUidl.IsValid(uidl))
            {
                throw new ArgumentException($"not a base name and UIDL: {baseName} {uidl}", nameof(overrides));
            }

            text.Append(baseName).Append('\t').Append(uidl).Append('\n');
        }

        await Files.DurableFiles.ReplaceAsync(Path.Combine(maildir, FileName), Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
    }

    public static bool IsBaseName(string name) =>
        name.Length is > 0 and <= 255
        && !name.StartsWith('.')
        && !name.Contains('/', StringComparison.Ordinal)
        && !name.Contains(':', StringComparison.Ordinal)
        && !name.Any(char.IsControl);
}
