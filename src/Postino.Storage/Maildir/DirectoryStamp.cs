using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Postino.Storage.Maildir;

/// <summary>
/// What tells whether a directory's entries may have changed: its modification time in nanoseconds (any create,
/// delete or rename in it moves the time) and its inode (a directory replaced by another is another one). Read with
/// <c>statx</c>, which .NET has no API for (its file times stop at 100 ns and it hides the inode).
/// </summary>
internal readonly partial record struct DirectoryStamp(long ModifiedNanoseconds, long Inode)
{
    /// <summary>No stamp: never equal to a real directory's, so an index without one is never trusted.</summary>
    public static DirectoryStamp None => default;

    public bool IsKnown => ModifiedNanoseconds != 0;

    public static DirectoryStamp Of(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            Span<byte> buffer = stackalloc byte[StatxSize];
            if (Statx(CurrentDirectory, path, SymlinkNoFollow, MaskMtimeAndInode, ref MemoryMarshal.GetReference(buffer)) == 0)
            {
                var seconds = BinaryPrimitives.ReadInt64LittleEndian(buffer[MtimeOffset..]);
                var nanoseconds = BinaryPrimitives.ReadUInt32LittleEndian(buffer[(MtimeOffset + 8)..]);
                var inode = BinaryPrimitives.ReadInt64LittleEndian(buffer[InodeOffset..]);
                return new DirectoryStamp((seconds * 1_000_000_000) + nanoseconds, inode);
            }
        }

        // Elsewhere (or without statx): .NET's 100 ns file time, no inode.
        var time = Directory.GetLastWriteTimeUtc(path);
        return new DirectoryStamp((time - DateTime.UnixEpoch).Ticks * 100, 0);
    }

    private const int CurrentDirectory = -100; // AT_FDCWD
    private const int SymlinkNoFollow = 0x100; // AT_SYMLINK_NOFOLLOW
    private const uint MaskMtimeAndInode = 0x40 | 0x100; // STATX_MTIME | STATX_INO
    private const int StatxSize = 256;
    private const int InodeOffset = 32;
    private const int MtimeOffset = 112;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, ref byte buffer);
}
