using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Postino.Storage.Files;

/// <summary>
/// How Postino creates and opens the files that hold mail and secrets: folders 0700, files 0600, and files read from a
/// mailbox opened without following a symlink and only when they are regular files, so a link or a FIFO planted in a
/// Maildir can neither leak another file nor hang a session.
/// </summary>
public static class PrivateFiles
{
    /// <summary>A file opened beneath a folder to read it: never blocking on a FIFO, not inherited by a child process.</summary>
    private const int ReadBeneathFlags = UnixNative.ORdOnly | UnixNative.ONonBlock | UnixNative.OCloExec;

    /// <summary>0600.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>0700.</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Group and others: any of these bits makes a folder or file readable or writable by other users.</summary>
    public const UnixFileMode OpenToOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// umask 077 for the whole process, so that whatever a library creates without a mode (a temporary file, a folder)
    /// is private too. Returns the previous mask.
    /// </summary>
    public static int RestrictUmask() => UnixNative.IsSupported ? UnixNative.SetUmask(0b000_111_111) : 0;

    /// <summary>Creates a folder and its missing parents, each 0700; existing folders are left as they are.</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        // Directory.CreateDirectory(path, mode) gives the mode to the last folder only: the parents it makes (mail/USER
        // above a Maildir) would be 0777 less the umask.
        var missing = new Stack<string>();
        for (var folder = Path.GetFullPath(path); !Directory.Exists(folder); folder = Path.GetDirectoryName(folder)!)
        {
            missing.Push(folder);
            if (Path.GetDirectoryName(folder) is null)
            {
                break;
            }
        }

        while (missing.TryPop(out var folder))
        {
            Directory.CreateDirectory(folder, FolderMode);
        }
    }

    /// <summary>Options for a new file, 0600, that fails if the name exists (O_EXCL: a planted symlink is not followed).</summary>
    public static FileStreamOptions CreateNew(FileAccess access = FileAccess.Write, FileOptions options = FileOptions.Asynchronous, int bufferSize = 0)
    {
        var result = new FileStreamOptions
        {
            Mode = System.IO.FileMode.CreateNew,
            Access = access,
            Share = FileShare.None,
            Options = options,
            BufferSize = bufferSize,
        };
        if (!OperatingSystem.IsWindows())
        {
            result.UnixCreateMode = FileMode;
        }

        return result;
    }

    /// <summary>
    /// Gives a fully written <paramref name="temporary"/> file the name <paramref name="path"/> only when nothing has
    /// that name yet, atomically (link(2), which never replaces, then the temporary name goes): of several processes
    /// publishing at once exactly one wins, and the others read the winner's file. False when the name was taken.
    /// .NET's <c>File.Move(overwrite: false)</c> falls back to a check-then-rename on some file systems, which lets two
    /// publishers both "win".
    /// </summary>
    public static bool TryPublishNew(string temporary, string path)
    {
        if (!UnixNative.IsSupported)
        {
            try
            {
                File.Move(temporary, path, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                return false;
            }
        }

        if (UnixNative.Link(temporary, path) == 0)
        {
            File.Delete(temporary);
            return true;
        }

        var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        return errno == UnixNative.EEXIST ? false : throw new IOException($"cannot create {path} (errno {errno})", errno);
    }

    /// <summary>
    /// Opens a file to read it: never through a symlink (O_NOFOLLOW), never blocking on a FIFO (O_NONBLOCK), and only
    /// when it is a regular file.
    /// </summary>
    /// <exception cref="FileNotFoundException">no such file (a rename by another Maildir reader).</exception>
    /// <exception cref="IOException">a symlink, not a regular file, or another error.</exception>
    public static FileStream OpenRead(string path)
    {
        if (!UnixNative.IsSupported)
        {
            return new FileStream(path, new FileStreamOptions
            {
                Mode = System.IO.FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
            });
        }

        return ReadStream(OpenNoFollow(path, UnixNative.ORdOnly | UnixNative.ONonBlock, 0), path);
    }

    /// <summary>
    /// Opens a file that is replaced and never changed in place (an index) to read it whole, as <see cref="OpenRead"/>
    /// does (no symlink, no FIFO, a regular file only), as a <see cref="FixedLengthFileStream"/>: its length known
    /// without another call, read with pread up to it.
    /// </summary>
    /// <exception cref="FileNotFoundException">no such file.</exception>
    /// <exception cref="IOException">a symlink, not a regular file, or another error.</exception>
    public static Stream OpenReadWhole(string path)
    {
        if (!UnixNative.IsSupported)
        {
            return OpenRead(path);
        }

        return FixedLength(OpenNoFollow(path, UnixNative.ORdOnly | UnixNative.ONonBlock, 0), path);
    }

    /// <summary>
    /// Opens a file inside <paramref name="folder"/> to read it, as <see cref="OpenRead"/> does, and in addition with no
    /// symlink anywhere in <paramref name="relativePath"/> (openat2 RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH): a Maildir
    /// whose <c>cur/</c> was replaced by a link to someone else's folder serves nothing from it. The folder's own path
    /// is the operator's layout and may go through links. On a kernel without openat2 (before 5.6, or a sandbox that
    /// refuses it) only the last component is protected, as by <see cref="OpenRead"/>.
    /// </summary>
    public static FileStream OpenReadBeneath(string folder, string relativePath)
    {
        if (!UnixNative.IsSupported)
        {
            return OpenRead(Path.Combine(folder, relativePath));
        }

        return OpenBeneathHandle(folder, relativePath) is { } handle
            ? ReadStream(handle, folder, relativePath)
            : OpenRead(Path.Combine(folder, relativePath));
    }

    /// <summary>
    /// Opens a message file of a Maildir to read it, with <see cref="OpenReadBeneath"/>'s guarantees: no symlink below
    /// <paramref name="folder"/>, a regular file only. When the folder's real path is known (<paramref name="realFolder"/>,
    /// resolved when its lock was taken), the file opens in one call, with no link followed anywhere in that path,
    /// instead of three (the folder opened, the file opened beneath it, the folder closed); any failure there (a link
    /// made or the folder moved since) takes the path through <paramref name="folder"/> as before. The stream reads
    /// up to the length the open saw (<see cref="FixedLengthFileStream"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">no such file (a rename by another Maildir reader).</exception>
    /// <exception cref="IOException">a symlink, not a regular file, or another error.</exception>
    public static Stream OpenMessage(string folder, string? realFolder, string relativePath)
    {
        if (!UnixNative.IsSupported)
        {
            return OpenRead(Path.Combine(folder, relativePath));
        }

        var fd = realFolder is null ? -1 : UnixNative.OpenNoSymlinks(realFolder + "/" + relativePath, ReadBeneathFlags);
        var handle = fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : OpenBeneathHandle(folder, relativePath);
        return handle is null
            ? OpenRead(Path.Combine(folder, relativePath))
            : FixedLength(handle, folder, relativePath);
    }

    /// <summary>
    /// <see cref="OpenMessage"/> for a thread that must not wait for the disk (a socket's event thread,
    /// <see cref="Threading.OffEventLoop"/>): the file opened through the folder's real path with nothing but the kernel's
    /// lookup cache (RESOLVE_CACHED), with the same guarantees (no link followed, a regular file); null when that would
    /// have waited or failed in any way, for the caller to open it the ordinary way on a pool thread, which gives the
    /// same errors and fallbacks as always.
    /// </summary>
    public static Stream? TryOpenMessageCached(string? realFolder, string relativePath)
    {
        if (realFolder is null || !CachedLookup.IsAvailable)
        {
            return null;
        }

        var fd = UnixNative.OpenNoSymlinksCached(realFolder + "/" + relativePath, ReadBeneathFlags);
        if (fd < 0)
        {
            CachedLookup.NoteRefusal(Marshal.GetLastPInvokeError());
            return null;
        }

        try
        {
            return FixedLength(new SafeFileHandle(fd, ownsHandle: true), realFolder, relativePath);
        }
        catch (IOException)
        {
            // Not a regular file, or fstat failed (the descriptor is closed): the ordinary open says which.
            return null;
        }
    }

    /// <summary>
    /// openat2 of <paramref name="relativePath"/> beneath <paramref name="folder"/> with no symlink on the way; null when
    /// the kernel has no openat2 (ENOSYS, or EPERM from a sandbox), for the caller's O_NOFOLLOW fallback.
    /// </summary>
    private static SafeFileHandle? OpenBeneathHandle(string folder, string relativePath)
    {
        var fd = UnixNative.OpenBeneath(folder, relativePath, ReadBeneathFlags, out var errno);
        if (fd >= 0)
        {
            return new SafeFileHandle(fd, ownsHandle: true);
        }

        // The full path is only made for a message (an error, or the fallback): RETR opens files all day long.
        return errno is UnixNative.ENOSYS or UnixNative.EPERM ? null : throw OpenError(Path.Combine(folder, relativePath), errno);
    }

    /// <summary>
    /// Opens or creates (0600) a lock file without following a symlink and takes an exclusive, non-blocking flock on it.
    /// When another holder has it, the <see cref="IOException"/> carries EWOULDBLOCK as its HResult, as .NET's own does.
    /// </summary>
    public static FileStream OpenExclusiveLock(string path)
    {
        if (!UnixNative.IsSupported)
        {
            return new FileStream(path, System.IO.FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }

        var handle = OpenLockFile(path);
        try
        {
            var errno = UnixNative.TryLockExclusive(handle);
            if (errno != 0)
            {
                throw new IOException($"cannot lock {path} (errno {errno})", errno);
            }

            return new FileStream(handle, FileAccess.ReadWrite, bufferSize: 1);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens or creates (0600) a lock file for reading and writing, without following a symlink and only when it is a
    /// regular file, with no lock taken yet (Linux only).
    /// </summary>
    public static SafeFileHandle OpenLockFile(string path)
    {
        var handle = OpenNoFollow(path, UnixNative.ORdWr | UnixNative.OCreat | UnixNative.ONonBlock, (int)FileMode);
        try
        {
            RequireRegularFile(handle, path);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static SafeFileHandle OpenNoFollow(string path, int flags, int mode)
    {
        var fd = UnixNative.Open(path, flags | UnixNative.ONoFollow | UnixNative.OCloExec, mode);
        if (fd >= 0)
        {
            return new SafeFileHandle(fd, ownsHandle: true);
        }

        throw OpenError(path, System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
    }

    private static IOException OpenError(string path, int errno) => errno switch
    {
        UnixNative.ENOENT => new FileNotFoundException($"no such file: {path}", path),
        UnixNative.ELOOP => new IOException($"refusing to follow a symbolic link in {path}", errno),
        UnixNative.EXDEV => new IOException($"refusing a path that leaves its folder: {path}", errno),
        _ => new IOException($"cannot open {path} (errno {errno})", errno),
    };

    /// <summary>
    /// A <see cref="FixedLengthFileStream"/> over an opened descriptor, once it is known to be a regular file (closed
    /// otherwise).
    /// </summary>
    private static FixedLengthFileStream FixedLength(SafeFileHandle handle, string path, string? relativePath = null) =>
        OverRegularFile(handle, path, relativePath, static (file, length) => new FixedLengthFileStream(file, length));

    /// <summary>A read stream over an opened descriptor, once it is known to be a regular file (closed otherwise).</summary>
    private static FileStream ReadStream(SafeFileHandle handle, string path, string? relativePath = null) =>
        OverRegularFile(handle, path, relativePath, static (file, _) => new FileStream(file, FileAccess.Read, bufferSize: 0));

    /// <summary>
    /// <paramref name="open"/> of the descriptor and its length, once it is known to be a regular file; the descriptor
    /// is closed when it is not, or when anything fails.
    /// </summary>
    private static TStream OverRegularFile<TStream>(
        SafeFileHandle handle, string path, string? relativePath, Func<SafeFileHandle, long, TStream> open)
    {
        try
        {
            return open(handle, RequireRegularFile(handle, path, relativePath));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <param name="path">The file, or the folder <paramref name="relativePath"/> is in (joined only for a message).</param>
    /// <returns>The file's length.</returns>
    private static long RequireRegularFile(SafeFileHandle handle, string path, string? relativePath = null)
    {
        var status = UnixNative.Stat(handle, out var errno);
        if (status is null)
        {
            throw new IOException($"cannot stat {Join(path, relativePath)} (errno {errno})", errno);
        }

        if (!status.Value.IsRegularFile)
        {
            throw new IOException($"{Join(path, relativePath)} is not a regular file");
        }

        return status.Value.Length;
    }

    private static string Join(string path, string? relativePath) => relativePath is null ? path : Path.Combine(path, relativePath);
}
