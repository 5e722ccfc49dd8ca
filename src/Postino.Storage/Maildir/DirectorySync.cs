using System.Runtime.InteropServices;

namespace Postino.Storage.Maildir;

/// <summary>
/// Makes a directory's entries durable (fsync on the directory), which .NET has no API for: without it a rename or a
/// create can be lost in a power cut even though the file's own data was synced.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;

    public static void Sync(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Other systems either order metadata themselves (Windows) or are not a deployment target.
            return;
        }

        // O_DIRECTORY's value differs between x86 and ARM (it was x86's everywhere).
        var fd = Open(path, ReadOnly | Files.UnixNative.ODirectory | Files.UnixNative.OCloExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {path} to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                throw new IOException($"fsync of directory {path} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
