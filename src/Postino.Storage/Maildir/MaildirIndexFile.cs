using System.Globalization;
using System.Text;

namespace Postino.Storage.Maildir;

/// <summary>
/// The per-Maildir index file (<c>postino-index</c> in the Maildir's root). Only the holder of the mailbox lock writes
/// it, always whole and atomically (temporary file, fsync, rename, fsync of the directory), so a reader sees either the
/// old or the new index, never a mix. A last line <c>end COUNT</c> detects a file cut short by anything else.
/// </summary>
internal static class MaildirIndexFile
{
    public const string FileName = "postino-index";

    public static async ValueTask<MaildirIndexLoad> LoadAsync(string maildir, CancellationToken cancellationToken)
    {
        var path = Path.Combine(maildir, FileName);
        if (!File.Exists(path))
        {
            return MaildirIndexLoad.Missing;
        }

        var entries = new Dictionary<string, MaildirIndexEntry>(StringComparer.Ordinal);
        var uidls = new HashSet<string>(StringComparer.Ordinal);
        // Not through a symlink, never a FIFO that would hang the login: such an index reads as corrupt and is rebuilt.
        FileStream file;
        try
        {
            file = Files.PrivateFiles.OpenRead(path);
        }
        catch (IOException exception) when (exception is not FileNotFoundException)
        {
            return MaildirIndexLoad.Corrupt(exception.Message);
        }

        using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        var header = await reader.ReadLineAsync(cancellationToken);
        if (header != MaildirIndexFormat.Header)
        {
            return MaildirIndexLoad.Corrupt("unknown header");
        }

        var lineNumber = 1;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (line.StartsWith(MaildirIndexFormat.EndPrefix, StringComparison.Ordinal))
            {
                var declared = line[MaildirIndexFormat.EndPrefix.Length..];
                var complete = int.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                    && count == entries.Count
                    && await reader.ReadLineAsync(cancellationToken) is null;
                return complete
                    ? MaildirIndexLoad.Loaded(entries)
                    : MaildirIndexLoad.Corrupt($"end marker at line {lineNumber} does not match");
            }

            var entry = MaildirIndexFormat.TryParse(line);
            if (entry is null || !entries.TryAdd(entry.BaseName, entry) || !uidls.Add(entry.Uidl))
            {
                return MaildirIndexLoad.Corrupt($"bad line {lineNumber}");
            }
        }

        return MaildirIndexLoad.Corrupt("no end marker (file cut short)");
    }

    public static async ValueTask SaveAsync(
        string maildir,
        IEnumerable<MaildirIndexEntry> entries,
        CancellationToken cancellationToken)
    {
        var path = Path.Combine(maildir, FileName);
        var temporary = Path.Combine(maildir, $"{FileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = Files.PrivateFiles.CreateNew();
            await using (var file = new FileStream(temporary, options))
            await using (var writer = new StreamWriter(file, new UTF8Encoding(false), 64 * 1024))
            {
                writer.NewLine = "\n";
                await writer.WriteLineAsync(MaildirIndexFormat.Header.AsMemory(), cancellationToken);
                var count = 0;
                foreach (var entry in entries)
                {
                    await writer.WriteLineAsync(MaildirIndexFormat.Format(entry).AsMemory(), cancellationToken);
                    count++;
                }

                await writer.WriteLineAsync(
                    (MaildirIndexFormat.EndPrefix + count.ToString(CultureInfo.InvariantCulture)).AsMemory(),
                    cancellationToken);
                await writer.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            DirectorySync.Sync(maildir);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A stale temporary file is harmless: it is never read, and the next save uses a new name.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>The outcome of reading an index: its entries, or why it could not be used.</summary>
internal sealed record MaildirIndexLoad(IReadOnlyDictionary<string, MaildirIndexEntry> Entries, bool Exists, string? Problem)
{
    private static readonly Dictionary<string, MaildirIndexEntry> Empty = new(StringComparer.Ordinal);

    public static MaildirIndexLoad Missing { get; } = new(Empty, false, null);

    public static MaildirIndexLoad Loaded(Dictionary<string, MaildirIndexEntry> entries) => new(entries, true, null);

    public static MaildirIndexLoad Corrupt(string problem) => new(Empty, true, problem);
}
