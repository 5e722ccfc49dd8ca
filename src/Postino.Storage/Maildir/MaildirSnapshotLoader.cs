using System.Globalization;
using Microsoft.Extensions.Logging;
using Postino.Protocols.Text;
using Postino.Storage.Threading;

namespace Postino.Storage.Maildir;

/// <summary>
/// Takes the snapshot of a locked Maildir folder: moves <c>new/</c> into <c>cur/</c>, lists <c>cur/</c>, and joins the
/// files with the index by base name. A message the index does not know yet gets its UIDL from its base name
/// (<see cref="MaildirUidl"/>) and its size from <c>,W=</c> in the name, or, only when the name has none, by reading the
/// file once; the index is then rewritten so the next login reads no file at all. A corrupt index is rebuilt the same
/// way (with a warning), which gives every message the UIDL it had, because the UIDL is a function of the file name.
/// </summary>
internal sealed class MaildirSnapshotLoader(
    MessageFileReader files,
    DirectoryLister lister,
    ILogger logger,
    TemporaryFileSweep sweep,
    MaildirIndexCache? cache = null,
    bool batchedReads = true)
{
    private static readonly TimeSpan StaleTemporaryAge = TimeSpan.FromHours(36);

    /// <summary>Reads outstanding at once when sizes must be measured: enough to keep a disk's queue busy.</summary>
    private const int ParallelReads = 16;

    /// <summary>
    /// io_uring rings measuring at once, each on its own thread over its own run of inodes: two overlap one thread's
    /// system calls with the other's (on this project's 2-core VM, 1.3 s instead of 1.8-2.0 s for 100,000 files); more
    /// would split the runs of neighbouring files whose reads merge.
    /// </summary>
    private static readonly int BatchedRings = Math.Clamp(Environment.ProcessorCount, 1, 2);

    public async ValueTask<MaildirSnapshot> LoadAsync(string user, MaildirFolder folder, CancellationToken cancellationToken)
    {
        var scannedAt = MaildirIndexStamps.Now();
        var load = await MaildirIndexFile.LoadAsync(folder.Root, cache, cancellationToken);
        if (load.Problem is { } problem)
        {
            logger.LogWarning("Index of {User}'s Maildir {Folder} is corrupt ({Problem}); rebuilding it from the files", user, folder.Root, problem);
        }

        // Each stamp is read before its directory is listed: a change during the listing moves it past what is recorded.
        // A socket's event thread may have come this far (MaildirStore.OpenMaildirAsync): a move of new mail, a look at
        // tmp/ or a listing moves to the pool first (a no-op on a pool thread).
        var newStamp = DirectoryStamp.Of(folder.New);
        var newTrusted = load.Stamps.Trusts(newStamp, load.Stamps.New);
        var sweepDue = sweep.IsDue(folder.Root);
        if (!newTrusted || sweepDue)
        {
            await OffEventLoop.Yield();
        }

        var moved = !newTrusted && MoveNewToCur(folder);
        if (sweepDue)
        {
            RemoveStaleTemporaryFiles(folder);
        }

        var curStamp = DirectoryStamp.Of(folder.Cur);
        if (!moved && load.Stamps.Trusts(curStamp, load.Stamps.Cur) && FromIndex(load) is { } trusted)
        {
            return trusted;
        }

        await OffEventLoop.Yield();
        var stamps = new MaildirIndexStamps(newStamp, curStamp, scannedAt);
        var present = new Dictionary<string, (string FileName, ulong Inode)>(StringComparer.Ordinal);
        foreach (var (fileName, inode) in lister.ListMessageEntries(folder.Cur, (name, reason) => WarnSkipped(folder, "cur", name, reason)))
        {
            var name = MaildirFileName.Parse(fileName);
            if (!present.TryAdd(name.BaseName, (fileName, inode)))
            {
                logger.LogWarning("Maildir {Folder} has two files for message {BaseName}; serving {Kept} only", folder.Root, name.BaseName, present[name.BaseName].FileName);
            }
        }

        var changed = !load.Exists || load.Problem is not null;
        var entries = new List<MaildirIndexEntry>(present.Count);
        var messages = new List<MaildirMessage>(present.Count);
        var usedUidls = new HashSet<string>(StringComparer.Ordinal);
        var unknown = new List<(MaildirFileName Name, ulong Inode, DateTimeOffset Arrival)>();
        foreach (var (baseName, (fileName, inode)) in present)
        {
            if (load.Entries.TryGetValue(baseName, out var entry))
            {
                if (entry.FileName != fileName)
                {
                    entry = entry with { FileName = fileName };
                    changed = true;
                }

                entries.Add(entry);
                usedUidls.Add(entry.Uidl);
                messages.Add(new MaildirMessage(ToInfo(entry), fileName));
            }
            else
            {
                var name = MaildirFileName.Parse(fileName);
                unknown.Add((name, inode, ArrivalTime(folder, name)));
            }
        }

        // Index entries whose file has gone (deleted by another Maildir reader) are dropped.
        changed |= entries.Count != load.Entries.Count;

        unknown.Sort(static (a, b) =>
        {
            var byTime = a.Arrival.CompareTo(b.Arrival);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Name.BaseName, b.Name.BaseName);
        });
        var ordered = unknown.ConvertAll(static u => u.Name);
        var sizes = await MeasureAsync(folder, unknown.ConvertAll(static u => (u.Name, u.Inode)), cancellationToken);

        // Read only when there is something to index: an imported mailbox keeps the UIDLs its previous server gave.
        var overrides = ordered.Count == 0
            ? null
            : MaildirUidlOverrides.Load(folder.Root, (line, reason) => logger.LogWarning(
                "Maildir {Folder}: {File} line {Line} skipped: {Reason}", folder.Root, MaildirUidlOverrides.FileName, line, reason));
        for (var n = 0; n < ordered.Count; n++)
        {
            var name = ordered[n];
            var entry = TryIndex(folder, name, sizes[n], usedUidls, overrides);
            if (entry is not null)
            {
                changed = true;
                entries.Add(entry);
                messages.Add(new MaildirMessage(ToInfo(entry), name.FullName));
            }
        }

        messages.Sort(static (a, b) =>
        {
            var byTime = a.Info.ReceivedAt.CompareTo(b.Info.ReceivedAt);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.StorageId, b.StorageId);
        });

        // Written when something changed, or when the stamps are old enough for the next login to trust them (and
        // differ from the recorded ones): a mailbox that changes all the time is not rewritten at every login for them.
        var trustable = MaildirIndexStamps.IsSettled(newStamp, scannedAt) && MaildirIndexStamps.IsSettled(curStamp, scannedAt);
        if (changed || (trustable && stamps != load.Stamps))
        {
            // Not written here: the maildrop writes it while the client reads its reply (MaildirIndexWrite).
            var byBaseName = entries.ToDictionary(e => e.BaseName, StringComparer.Ordinal);
            var inMessageOrder = new MaildirIndexEntry[messages.Count];
            for (var n = 0; n < inMessageOrder.Length; n++)
            {
                inMessageOrder[n] = byBaseName[messages[n].StorageId];
            }

            return new MaildirSnapshot(messages, byBaseName, new MaildirIndexWrite(inMessageOrder, trustable ? stamps : MaildirIndexStamps.None));
        }

        return new MaildirSnapshot(messages, entries.ToDictionary(e => e.BaseName, StringComparer.Ordinal));
    }

    /// <summary>
    /// The snapshot straight from a trusted index (no directory listed, no file opened): its entries are written in
    /// message order, so only a check of the order is needed, and every entry must know its file name.
    /// </summary>
    private static MaildirSnapshot? FromIndex(MaildirIndexLoad load)
    {
        var messages = new List<MaildirMessage>(load.Ordered.Count);
        var infos = load.Infos;
        for (var n = 0; n < infos.Length; n++)
        {
            if (load.Ordered[n].FileName is not { } fileName)
            {
                return null;
            }

            messages.Add(new MaildirMessage(infos[n], fileName));
        }

        for (var n = 1; n < messages.Count; n++)
        {
            if (Compare(messages[n - 1], messages[n]) > 0)
            {
                messages.Sort(Compare);
                break;
            }
        }

        var entries = load.Entries as Dictionary<string, MaildirIndexEntry> ?? new(load.Entries, StringComparer.Ordinal);
        return new MaildirSnapshot(messages, entries);
    }

    private static int Compare(MaildirMessage a, MaildirMessage b)
    {
        var byTime = a.Info.ReceivedAt.CompareTo(b.Info.ReceivedAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.StorageId, b.StorageId);
    }

    public static MessageInfo ToInfo(MaildirIndexEntry entry) =>
        new(entry.BaseName, entry.Uidl, entry.Size, entry.ReceivedAt, entry.FirstRetrievedAt);

    private MaildirIndexEntry? TryIndex(
        MaildirFolder folder, MaildirFileName name, long? size, HashSet<string> usedUidls, Dictionary<string, string>? overrides)
    {
        if (size is null)
        {
            // Gone since the listing (another reader deleted it).
            return null;
        }

        if (overrides is not null && overrides.TryGetValue(name.BaseName, out var imported) && usedUidls.Add(imported))
        {
            return new MaildirIndexEntry(name.BaseName, imported, size.Value, ArrivalTime(folder, name), null, name.FullName);
        }

        var uidl = MaildirUidl.FromBaseName(name.BaseName);
        if (!usedUidls.Add(uidl))
        {
            uidl = MaildirUidl.Hashed(name.BaseName);
            if (!usedUidls.Add(uidl))
            {
                logger.LogWarning("Maildir {Folder}: cannot give message {BaseName} a unique UIDL; not serving it", folder.Root, name.BaseName);
                return null;
            }
        }

        return new MaildirIndexEntry(name.BaseName, uidl, size.Value, ArrivalTime(folder, name), null, name.FullName);
    }

    /// <summary>
    /// The wire sizes of messages the index does not know: from <c>,W=</c> in the name, or, only when the name has none
    /// (Postfix, procmail), by reading the file once. Many files are read in inode order (near their order on disk),
    /// small ones in batches through io_uring where the kernel offers it (<see cref="BatchedSizeReader"/>), the rest
    /// several at a time on threads of their own (a first login on a big mailbox whose files are not in the page cache
    /// waits on the disk, which serves many reads at once far better than one by one). Null for a file that has gone or
    /// is not a message.
    /// </summary>
    private async ValueTask<long?[]> MeasureAsync(
        MaildirFolder folder, List<(MaildirFileName Name, ulong Inode)> names, CancellationToken cancellationToken)
    {
        var sizes = new long?[names.Count];
        if (names.Count < ParallelReads)
        {
            for (var n = 0; n < names.Count; n++)
            {
                sizes[n] = Inspect(folder, names[n].Name);
            }

            return sizes;
        }

        var byInode = Enumerable.Range(0, names.Count).ToArray();
        Array.Sort(byInode, (a, b) => names[a].Inode.CompareTo(names[b].Inode));

        // Names with a size in them are only checked (no read): the batch is for files that must be read.
        var toRead = Array.FindAll(byInode, n => names[n].Name.WireSize is null);
        var left = batchedReads && toRead.Length >= ParallelReads ? await MeasureBatchedAsync(folder, names, byInode, toRead, sizes, cancellationToken) : byInode;

        // Threads of their own (the reads block): the thread pool would only add threads slowly for blocked ones.
        var next = -1;
        var readers = Enumerable.Range(0, Math.Min(ParallelReads, left.Length)).Select(_ => Task.Factory.StartNew(
            () =>
            {
                int taken;
                while ((taken = Interlocked.Increment(ref next)) < left.Length)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var n = left[taken];
                    sizes[n] = Inspect(folder, names[n].Name);
                }
            },
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default));
        await Task.WhenAll(readers);
        return sizes;
    }

    /// <summary>
    /// Measures the files of <paramref name="toRead"/> (inode order) through io_uring rings, each on a thread of its own
    /// over its own run of inodes (so that its reads still merge); returns what is left for the one-by-one path.
    /// </summary>
    private async Task<int[]> MeasureBatchedAsync(
        MaildirFolder folder,
        List<(MaildirFileName Name, ulong Inode)> names,
        int[] byInode,
        int[] toRead,
        long?[] sizes,
        CancellationToken cancellationToken)
    {
        var measured = new long[toRead.Length];
        var outcomes = new BatchedSizeReader.Outcome[toRead.Length];
        var fileNames = Array.ConvertAll(toRead, n => names[n].Name.FullName);
        var rings = toRead.Length >= 4096 ? BatchedRings : 1;
        await Task.WhenAll(Enumerable.Range(0, rings).Select(r => Task.Factory.StartNew(
            () =>
            {
                var from = (int)((long)toRead.Length * r / rings);
                var count = (int)((long)toRead.Length * (r + 1) / rings) - from;
                BatchedSizeReader.TryMeasure(
                    folder.Root,
                    new ArraySegment<string>(fileNames, from, count),
                    new ArraySegment<long>(measured, from, count),
                    new ArraySegment<BatchedSizeReader.Outcome>(outcomes, from, count),
                    files,
                    cancellationToken);
            },
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)));

        var done = new bool[names.Count];
        var batched = 0;
        for (var k = 0; k < toRead.Length; k++)
        {
            if (outcomes[k] != BatchedSizeReader.Outcome.Pending)
            {
                done[toRead[k]] = true;
                sizes[toRead[k]] = outcomes[k] == BatchedSizeReader.Outcome.Measured ? measured[k] : null;
                batched++;
            }
        }

        var left = Array.FindAll(byInode, n => !done[n]);
        logger.LogDebug(
            "Maildir {Folder}: {Batched} of {Count} sizes measured through io_uring, {Left} left to the one-by-one path",
            folder.Root,
            batched,
            toRead.Length,
            left.Length);
        return left;
    }

    /// <summary>
    /// A file the index does not know yet is looked at once, without following a link: only regular files are
    /// messages, and its length bounds what the ,W= in its name may claim. Returns its wire size, or null to skip it.
    /// </summary>
    private long? Inspect(MaildirFolder folder, MaildirFileName name)
    {
        var path = Path.Combine(folder.Cur, name.FullName);
        var status = Files.UnixNative.IsSupported ? Files.UnixNative.StatNoFollow(path, out _) : null;
        if (status is { IsRegularFile: false })
        {
            WarnSkipped(folder, "cur", name.FullName, "not a regular file");
            return null;
        }

        var size = name.WireSize;
        if (size is { } claimed && status is { } file && !IsPlausibleWireSize(claimed, file.Length))
        {
            logger.LogWarning(
                "Maildir {Folder}: {FileName} claims a wire size of {Claimed} octets for a file of {Length}; measuring it",
                folder.Root,
                Printable(name.FullName),
                claimed,
                file.Length);
            size = null;
        }

        if (size is not null)
        {
            return size;
        }

        // No ,W= in the name (Postfix, procmail), or not a believable one: measure once; the index remembers it.
        try
        {
            using var stream = files.Open(path);
            var counter = new WireSizeCounter();
            Span<byte> buffer = stackalloc byte[16 * 1024];
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                counter.Add(buffer[..read]);
            }

            return counter.Total;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (IOException exception)
        {
            // Swapped for a link or a FIFO since the listing: not a message.
            WarnSkipped(folder, "cur", name.FullName, exception.Message);
            return null;
        }
    }

    /// <summary>
    /// The wire form adds a CR to each bare LF and at most one final CRLF, and removes nothing: it is between the file's
    /// length and twice that plus 2. Anything else in a name (a huge value, a negative STAT total) is not believed.
    /// </summary>
    internal static bool IsPlausibleWireSize(long claimed, long fileLength) =>
        claimed >= fileLength && claimed <= (fileLength * 2) + 2;

    private void WarnSkipped(MaildirFolder folder, string directory, string fileName, string reason) =>
        logger.LogWarning("Maildir {Folder}: skipping {Directory}/{FileName}: {Reason}", folder.Root, directory, Printable(fileName), reason);

    /// <summary>A file name fit for a log line: control characters escaped, so a name cannot forge log lines either.</summary>
    private static string Printable(string fileName) =>
        fileName.Any(char.IsControl)
            ? string.Concat(fileName.Select(c => char.IsControl(c) ? "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture) : c.ToString()))
            : fileName;

    /// <summary>When a message the index does not know arrived: from its name (seconds and microseconds), else its file time.</summary>
    private static DateTimeOffset ArrivalTime(MaildirFolder folder, MaildirFileName name)
    {
        // Milliseconds, the index's precision, so that a snapshot reads the same before and after the index is written.
        if (name.DeliveredAt is { } seconds)
        {
            return seconds.AddMilliseconds(Microseconds(name.BaseName) / 1000);
        }

        var written = File.GetLastWriteTimeUtc(Path.Combine(folder.Cur, name.FullName));
        return DateTimeOffset.FromUnixTimeMilliseconds(new DateTimeOffset(DateTime.SpecifyKind(written, DateTimeKind.Utc)).ToUnixTimeMilliseconds());
    }

    /// <summary>The <c>M</c>usec field of the usual <c>SECONDS.M{usec}P{pid}...</c> and Postfix's <c>V..I..M{usec}</c> names.</summary>
    private static long Microseconds(string baseName)
    {
        var first = baseName.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : baseName.IndexOf('.', first + 1);
        if (second < 0)
        {
            return 0;
        }

        var part = baseName.AsSpan(first + 1, second - first - 1);
        var m = part.IndexOf('M');
        if (m < 0)
        {
            return 0;
        }

        var digits = part[(m + 1)..];
        var end = 0;
        while (end < digits.Length && end < 6 && char.IsAsciiDigit(digits[end]))
        {
            end++;
        }

        return end > 0 && long.TryParse(digits[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var micros) ? micros : 0;
    }

    /// <summary>Moves what is in <c>new/</c> to <c>cur/</c>; true when anything moved (so <c>cur/</c> changed).</summary>
    private bool MoveNewToCur(MaildirFolder folder)
    {
        var moved = false;
        foreach (var fileName in lister.ListMessages(folder.New, (name, reason) => WarnSkipped(folder, "new", name, reason)))
        {
            var name = MaildirFileName.Parse(fileName);
            try
            {
                File.Move(Path.Combine(folder.New, fileName), Path.Combine(folder.Cur, name.CurName), overwrite: false);
                moved = true;
            }
            catch (FileNotFoundException)
            {
                // Another Maildir reader moved it first.
            }
            catch (IOException exception) when (File.Exists(Path.Combine(folder.Cur, name.CurName)))
            {
                logger.LogWarning(exception, "Maildir {Folder}: {FileName} is in both new/ and cur/; leaving it in new/", folder.Root, fileName);
            }
        }

        if (moved)
        {
            Files.DurableFiles.SyncDirectory(folder.Cur);
            Files.DurableFiles.SyncDirectory(folder.New);
        }

        return moved;
    }

    /// <summary>
    /// Removes what a crashed delivery left in <c>tmp/</c>, after the 36 hours the Maildir convention allows, when the
    /// folder is due a look (<see cref="TemporaryFileSweep"/>; the caller asked).
    /// </summary>
    private static void RemoveStaleTemporaryFiles(MaildirFolder folder)
    {
        if (!Directory.Exists(folder.Tmp))
        {
            return;
        }

        // File times come from the real clock, so they are compared with it, not with the injected one (a test clock
        // moved days ahead must not make a delivery in progress look stale).
        var limit = TimeProvider.System.GetUtcNow() - StaleTemporaryAge;
        foreach (var path in Directory.EnumerateFiles(folder.Tmp))
        {
            try
            {
                if (File.GetLastWriteTimeUtc(path) < limit.UtcDateTime)
                {
                    File.Delete(path);
                }
            }
            catch (IOException)
            {
                // Someone else cleaned it up, or it is busy: try again at the next login.
            }
        }
    }
}

/// <summary>
/// A folder's messages in message-number order, its index entries by base name, and the index to write when the files
/// and the index file differ (a first login, new or gone messages, stamps to record).
/// </summary>
internal sealed record MaildirSnapshot(
    List<MaildirMessage> Messages, Dictionary<string, MaildirIndexEntry> Entries, MaildirIndexWrite? IndexToWrite = null);

/// <summary>The index a snapshot leaves to write: its entries in message order, and the stamps to record.</summary>
internal sealed record MaildirIndexWrite(MaildirIndexEntry[] Entries, MaildirIndexStamps Stamps);
