using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Postino.Testing;

/// <summary>
/// Takes a file's pages out of the kernel's page cache (written back first, then dropped), as a file no one has read
/// since the machine started: what a read from a socket's event thread must not wait for. Linux only.
/// </summary>
public static partial class PageCache
{
    private const int DontNeed = 4;
    private const int ProtRead = 1;
    private const int MapShared = 1;
    private static readonly IntPtr MapFailed = new(-1);

    /// <summary>Drops <paramref name="path"/>'s pages; true when its first page is then no longer cached.</summary>
    public static bool Evict(string path)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        var fd = (int)file.DangerousGetHandle();
        if (FSync(fd) != 0)
        {
            throw new IOException($"cannot write {path} back (errno {Marshal.GetLastPInvokeError()})");
        }

        // posix_fadvise returns its error number rather than setting errno.
        var error = FAdvise(fd, 0, 0, DontNeed);
        if (error != 0)
        {
            throw new IOException($"cannot drop {path} from the page cache (errno {error})");
        }

        return !IsFirstPageCached(file);
    }

    /// <summary>Drops every regular file's pages under <paramref name="folder"/>; true when none is cached any more.</summary>
    public static bool EvictAll(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(Evict).ToList().TrueForAll(evicted => evicted);

    // mincore of the first page of a read-only mapping: a look that reads nothing. (A RWF_NOWAIT read would, on recent
    // kernels, start the readahead it refuses to wait for, and so bring the page back.)
    private static bool IsFirstPageCached(SafeFileHandle file)
    {
        var address = MMap(IntPtr.Zero, 1, ProtRead, MapShared, (int)file.DangerousGetHandle(), 0);
        if (address == MapFailed)
        {
            throw new IOException($"cannot map the file (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            var resident = new byte[1];
            if (MinCore(address, 1, resident) != 0)
            {
                throw new IOException($"mincore failed (errno {Marshal.GetLastPInvokeError()})");
            }

            return (resident[0] & 1) != 0;
        }
        finally
        {
            _ = MUnmap(address, 1);
        }
    }

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int FAdvise(int fd, long offset, long length, int advice);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial IntPtr MMap(IntPtr address, nint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "mincore", SetLastError = true)]
    private static partial int MinCore(IntPtr address, nint length, byte[] vector);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int MUnmap(IntPtr address, nint length);
}
