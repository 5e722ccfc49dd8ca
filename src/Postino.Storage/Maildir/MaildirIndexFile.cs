using System.Buffers;
using System.Globalization;
using System.Text;

namespace Postino.Storage.Maildir;

/// <summary>
/// The per-Maildir index file (<c>postino-index</c> in the Maildir's root). Only the holder of the mailbox lock writes
/// it, always whole and atomically (temporary file, fsync, rename, fsync of the directory), so a reader sees either the
/// old or the new index, never a mix. It is written in the binary form (<see cref="MaildirIndexBinary"/>) and read in
/// one go; the text form of earlier versions (<see cref="MaildirIndexFormat"/>, last line <c>end COUNT</c>) is still
/// read, and replaced by the binary form at the next write.
/// </summary>
internal static class MaildirIndexFile
{
    public const string FileName = "postino-index";

    /// <summary>
    /// Reads the index, or takes it from <paramref name="cache"/> when the file is the one parsed last time; a big
    /// folder's fresh load is kept there. The stamp is read before the file: only the lock holder (the caller) replaces it.
    /// </summary>
    public static async ValueTask<MaildirIndexLoad> LoadAsync(string maildir, MaildirIndexCache? cache, CancellationToken cancellationToken)
    {
        if (cache is null)
        {
            return await LoadAsync(maildir, cancellationToken);
        }

        var stamp = MaildirIndexCache.IndexFileStamp.Of(Path.Combine(maildir, FileName));
        if (cache.TryGet(maildir, stamp) is { } kept)
        {
            return kept;
        }

        var load = await LoadAsync(maildir, cancellationToken);
        cache.Put(maildir, stamp, load);
        return load;
    }

    public static async ValueTask<MaildirIndexLoad> LoadAsync(string maildir, CancellationToken cancellationToken)
    {
        var path = Path.Combine(maildir, FileName);

        // Not through a symlink, never a FIFO that would hang the login: such an index reads as corrupt and is rebuilt.
        Stream file;
        try
        {
            file = Files.PrivateFiles.OpenReadWhole(path);
        }
        catch (FileNotFoundException)
        {
            return MaildirIndexLoad.Missing;
        }
        catch (IOException exception)
        {
            return MaildirIndexLoad.Corrupt(exception.Message);
        }

        byte[]? buffer = null;
        try
        {
            var length = file.Length;
            if (length > Array.MaxLength)
            {
                return MaildirIndexLoad.Corrupt("too large");
            }

            // Read in one go (one read for the whole file in the usual case), then parsed from memory.
            buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(length, 1));
            var filled = 0;
            int read;
            while (filled < length && (read = await file.ReadAsync(buffer.AsMemory(filled, (int)length - filled), cancellationToken)) > 0)
            {
                filled += read;
            }

            var data = buffer.AsSpan(0, filled);
            if (data.StartsWith(MaildirIndexBinary.Header))
            {
                return MaildirIndexBinary.Read(data);
            }

            return data.StartsWith(Encoding.ASCII.GetBytes(MaildirIndexFormat.Header + "\n"))
                ? ReadText(Encoding.UTF8.GetString(data))
                : MaildirIndexLoad.Corrupt("unknown header");
        }
        finally
        {
            await file.DisposeAsync();
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Writes the index without directory stamps: the next login lists the directories (after a commit).</summary>
    public static ValueTask SaveAsync(string maildir, IEnumerable<MaildirIndexEntry> entries, CancellationToken cancellationToken) =>
        SaveAsync(maildir, entries, MaildirIndexStamps.None, cancellationToken);

    public static async ValueTask SaveAsync(
        string maildir,
        IEnumerable<MaildirIndexEntry> entries,
        MaildirIndexStamps stamps,
        CancellationToken cancellationToken)
    {
        var bytes = MaildirIndexBinary.Write(entries, stamps);
        await Files.DurableFiles.ReplaceAsync(Path.Combine(maildir, FileName), bytes, cancellationToken);
    }

    /// <summary>The text index of earlier versions: <c>postino-index 1</c>, one line per message, <c>end COUNT</c>.</summary>
    private static MaildirIndexLoad ReadText(string text)
    {
        var entries = new Dictionary<string, MaildirIndexEntry>(StringComparer.Ordinal);
        var ordered = new List<MaildirIndexEntry>();
        var uidls = new HashSet<string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var lineNumber = 2; lineNumber <= lines.Length; lineNumber++)
        {
            var line = lines[lineNumber - 1];
            if (line.StartsWith(MaildirIndexFormat.EndPrefix, StringComparison.Ordinal))
            {
                var declared = line[MaildirIndexFormat.EndPrefix.Length..];
                var complete = int.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                    && count == entries.Count
                    && lineNumber + 1 >= lines.Length
                    && (lineNumber == lines.Length || lines[lineNumber].Length == 0);
                return complete
                    ? MaildirIndexLoad.Loaded(entries, ordered, MaildirIndexStamps.None)
                    : MaildirIndexLoad.Corrupt($"end marker at line {lineNumber} does not match");
            }

            if (lineNumber == lines.Length && line.Length == 0)
            {
                break;
            }

            var entry = MaildirIndexFormat.TryParse(line);
            if (entry is null || !entries.TryAdd(entry.BaseName, entry) || !uidls.Add(entry.Uidl))
            {
                return MaildirIndexLoad.Corrupt($"bad line {lineNumber}");
            }

            ordered.Add(entry);
        }

        return MaildirIndexLoad.Corrupt("no end marker (file cut short)");
    }
}

/// <summary>The outcome of reading an index: its entries (by base name and in file order), or why it could not be used.</summary>
internal sealed record MaildirIndexLoad(
    IReadOnlyDictionary<string, MaildirIndexEntry> Entries,
    IReadOnlyList<MaildirIndexEntry> Ordered,
    MaildirIndexStamps Stamps,
    bool Exists,
    string? Problem)
{
    private static readonly Dictionary<string, MaildirIndexEntry> Empty = new(StringComparer.Ordinal);

    private MessageInfo[]? _infos;

    /// <summary>
    /// What a session sees of each entry of <see cref="Ordered"/>, made once per load: a load kept by
    /// <see cref="MaildirIndexCache"/> serves the next warm logins without a new record per message.
    /// </summary>
    public MessageInfo[] Infos => _infos ??= [.. Ordered.Select(MaildirSnapshotLoader.ToInfo)];

    public static MaildirIndexLoad Missing { get; } = new(Empty, [], MaildirIndexStamps.None, false, null);

    public static MaildirIndexLoad Loaded(
        Dictionary<string, MaildirIndexEntry> entries,
        List<MaildirIndexEntry> ordered,
        MaildirIndexStamps stamps) => new(entries, ordered, stamps, true, null);

    public static MaildirIndexLoad Corrupt(string problem) => new(Empty, [], MaildirIndexStamps.None, true, problem);
}
