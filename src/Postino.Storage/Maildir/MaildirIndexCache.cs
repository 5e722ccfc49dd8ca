using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Postino.Storage.Maildir;

/// <summary>
/// The parsed index of a store's big folders, kept after the session so that the next warm login of an unchanged big
/// mailbox neither reads nor parses it again: parsing 100,000 entries allocates some 40 MB of strings and records,
/// which the garbage collector then promotes and copies, and that, not the read, was most of a warm login's CPU. An
/// entry is used only while <c>postino-index</c> is the very same file (inode, size, modification and change times in
/// nanoseconds, read with statx without following a link): the index is only ever replaced whole by a rename, so any
/// write makes the entry unusable. The loads kept are never changed (a commit copies the entries before changing them).
/// Bounded: folders under <see cref="MinimumEntries"/> messages are not kept (they parse in a few milliseconds), and
/// at most <see cref="MaximumEntries"/> entries in all, the oldest kept folder going first.
/// </summary>
internal sealed partial class MaildirIndexCache(int minimumEntries = MaildirIndexCache.MinimumEntries)
{
    public const int MinimumEntries = 2_000;
    public const int MaximumEntries = 250_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (IndexFileStamp Stamp, MaildirIndexLoad Load)> _loads = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _order = new();
    private int _entries;
    private long _hits;

    /// <summary>Loads served from memory (for tests).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>The kept load of <paramref name="maildir"/>'s index when the file is still <paramref name="stamp"/>.</summary>
    public MaildirIndexLoad? TryGet(string maildir, IndexFileStamp stamp)
    {
        if (!stamp.IsKnown)
        {
            return null;
        }

        lock (_gate)
        {
            if (_loads.TryGetValue(maildir, out var kept) && kept.Stamp == stamp)
            {
                _hits++;
                return kept.Load;
            }

            return null;
        }
    }

    /// <summary>Keeps a load just parsed from the file that had <paramref name="stamp"/> (big folders only).</summary>
    public void Put(string maildir, IndexFileStamp stamp, MaildirIndexLoad load)
    {
        lock (_gate)
        {
            Forget(maildir);
            var count = load.Ordered.Count;
            if (!stamp.IsKnown || !load.Exists || load.Problem is not null || count < minimumEntries || count > MaximumEntries)
            {
                return;
            }

            while (_entries + count > MaximumEntries && _order.First is { } oldest)
            {
                Forget(oldest.Value);
            }

            _loads[maildir] = (stamp, load);
            _order.AddLast(maildir);
            _entries += count;
        }
    }

    private void Forget(string maildir)
    {
        if (_loads.Remove(maildir, out var kept))
        {
            _order.Remove(maildir);
            _entries -= kept.Load.Ordered.Count;
        }
    }

    /// <summary>What identifies one version of an index file: a rewrite (temporary file renamed over it) changes all of it.</summary>
    internal readonly record struct IndexFileStamp(long Inode, long Size, long ModifiedNanoseconds, long ChangedNanoseconds)
    {
        public bool IsKnown => Inode != 0 || ModifiedNanoseconds != 0;

        /// <summary>The stamp of the file at <paramref name="path"/>, the link itself if it is one; unknown when it cannot be read.</summary>
        public static IndexFileStamp Of(string path)
        {
            if (!OperatingSystem.IsLinux())
            {
                return default;
            }

            Span<byte> buffer = stackalloc byte[StatxSize];
            if (Statx(CurrentDirectory, path, SymlinkNoFollow, Mask, ref MemoryMarshal.GetReference(buffer)) != 0)
            {
                return default;
            }

            return new IndexFileStamp(
                BinaryPrimitives.ReadInt64LittleEndian(buffer[InodeOffset..]),
                BinaryPrimitives.ReadInt64LittleEndian(buffer[SizeOffset..]),
                Nanoseconds(buffer[MtimeOffset..]),
                Nanoseconds(buffer[CtimeOffset..]));
        }

        private static long Nanoseconds(ReadOnlySpan<byte> timestamp) =>
            (BinaryPrimitives.ReadInt64LittleEndian(timestamp) * 1_000_000_000) + BinaryPrimitives.ReadUInt32LittleEndian(timestamp[8..]);

        private const int CurrentDirectory = -100; // AT_FDCWD
        private const int SymlinkNoFollow = 0x100; // AT_SYMLINK_NOFOLLOW
        private const uint Mask = 0x80 | 0x100 | 0x200 | 0x40; // STATX_CTIME | STATX_INO | STATX_SIZE | STATX_MTIME
        private const int StatxSize = 256;
        private const int InodeOffset = 32;
        private const int SizeOffset = 40;
        private const int CtimeOffset = 96; // struct statx: atime at 64, btime 80, ctime 96, mtime 112
        private const int MtimeOffset = 112;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, ref byte buffer);
}
