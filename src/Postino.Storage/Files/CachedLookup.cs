using System.Runtime.InteropServices;

namespace Postino.Storage.Files;

/// <summary>
/// Whether paths resolve from the kernel's lookup cache alone (openat2 RESOLVE_CACHED, Linux 5.12): then a stat, an
/// open or a realpath of them does not wait for the disk, and a socket's event thread may do it
/// (<see cref="Threading.OffEventLoop"/>). A path the cache does not hold, a kernel without RESOLVE_CACHED and a file
/// system that revalidates its names (NFS) all answer false, and the caller moves to the pool.
/// </summary>
public static class CachedLookup
{
    private static volatile bool s_available = UnixNative.IsSupported;

    /// <summary>False on systems without openat2's RESOLVE_CACHED (learnt at the first refusal).</summary>
    public static bool IsAvailable => s_available;

    /// <summary>True when every path exists and resolves from the cache; false as soon as one does not.</summary>
    public static bool AllCached(params ReadOnlySpan<string> paths)
    {
        foreach (var path in paths)
        {
            if (!IsCached(path))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="path"/> exists and resolves from the cache.</summary>
    public static bool IsCached(string path)
    {
        if (!s_available)
        {
            return false;
        }

        var fd = UnixNative.OpenCached(path, UnixNative.OPath | UnixNative.OCloExec);
        if (fd < 0)
        {
            NoteRefusal(Marshal.GetLastPInvokeError());
            return false;
        }

        UnixNative.Close(fd);
        return true;
    }

    /// <summary>
    /// Notes an openat2 error: EINVAL (a kernel before 5.12, no RESOLVE_CACHED), ENOSYS or EPERM (no openat2 at all, or a
    /// sandbox that refuses it) mean it never works here, and it is not asked again.
    /// </summary>
    internal static void NoteRefusal(int errno)
    {
        if (errno is UnixNative.EINVAL or UnixNative.ENOSYS or UnixNative.EPERM)
        {
            s_available = false;
        }
    }
}
