using System.Runtime.InteropServices;

namespace Postino.Storage.Files;

/// <summary>
/// The few libc calls .NET has no API for: open with O_NOFOLLOW, openat2 with RESOLVE_NO_SYMLINKS, fsync of a
/// directory, flock and OFD byte-range locks on our own descriptor, realpath, statx (owner, file type, mode of a path without following a symlink), geteuid
/// and umask. Linux only; the flag values differ per architecture.
/// </summary>
internal static partial class UnixNative
{
    public const int ELOOP = 40;
    public const int ENOENT = 2;
    public const int EEXIST = 17;
    public const int EWOULDBLOCK = 11;
    public const int ENXIO = 6;
    public const int EXDEV = 18;
    public const int ENOSYS = 38;
    public const int EPERM = 1;
    public const int EACCES = 13;
    public const int EINVAL = 22;

    public const int ORdOnly = 0;
    public const int ORdWr = 2;
    public const int OCreat = 0x40;
    public const int OExcl = 0x80;
    public const int ONonBlock = 0x800;
    public const int OCloExec = 0x80000;

    /// <summary>O_NOATIME: 01000000 on every Linux architecture .NET runs on (EPERM unless the caller owns the file).</summary>
    public const int ONoAtime = 0x40000;

    /// <summary>O_PATH: 010000000 on every Linux architecture .NET runs on.</summary>
    public const int OPath = 0x200000;

    /// <summary>openat2's RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH: no symlink on the way, and never above the folder.</summary>
    private const ulong ResolveNoSymlinks = 0x04;
    private const ulong ResolveNoSymlinksBeneath = ResolveNoSymlinks | 0x08;

    /// <summary>openat2's RESOLVE_CACHED (Linux 5.12): EAGAIN rather than a lookup that would go to the disk.</summary>
    private const ulong ResolveCached = 0x20;

    /// <summary>preadv2's RWF_NOWAIT (Linux 4.14): EAGAIN rather than a wait for the disk.</summary>
    private const int RwfNoWait = 0x08;

    /// <summary>openat2's system call number: 437 on x86-64 and on the generic table (arm64) alike.</summary>
    private const long SysOpenat2 = 437;

    public const ushort FileTypeMask = 0xF000;
    public const ushort RegularFile = 0x8000;
    public const ushort DirectoryType = 0x4000;
    public const ushort SymbolicLink = 0xA000;

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;

    /// <summary>F_OFD_SETLK: 37 on every Linux architecture (since 3.15).</summary>
    private const int FOfdSetLock = 37;
    private const short FWriteLock = 1;
    private const short FUnlock = 2;

    /// <summary>O_NOFOLLOW: 0400000 on x86 and most others, 0100000 on ARM.</summary>
    public static int ONoFollow => IsArm ? 0x8000 : 0x20000;

    /// <summary>O_DIRECTORY: 0200000 on x86 and most others, 040000 on ARM.</summary>
    public static int ODirectory => IsArm ? 0x4000 : 0x10000;

    public static bool IsSupported => OperatingSystem.IsLinux();

    private static bool IsArm => RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64;

    /// <summary>What statx says about a file: its type and permission bits, owner, length.</summary>
    public readonly record struct FileStatus(ushort Mode, uint OwnerId, long Length)
    {
        public bool IsRegularFile => (Mode & FileTypeMask) == RegularFile;

        public bool IsDirectory => (Mode & FileTypeMask) == DirectoryType;

        public bool IsSymbolicLink => (Mode & FileTypeMask) == SymbolicLink;

        public UnixFileMode Permissions => (UnixFileMode)(Mode & 0xFFF);
    }

    /// <summary>lstat: the path itself, a symlink not followed. Null with the errno when it cannot be read.</summary>
    public static FileStatus? StatNoFollow(string path, out int errno) => Stat(AtFdCwd, path, AtSymlinkNoFollow, out errno);

    /// <summary>lstat of <paramref name="name"/> in the directory open as <paramref name="directory"/>.</summary>
    public static FileStatus? StatAt(int directory, string name, out int errno) => Stat(directory, name, AtSymlinkNoFollow, out errno);

    /// <summary>fstat of a raw descriptor this process owns.</summary>
    public static FileStatus? Stat(int fd, out int errno) => Stat(fd, string.Empty, AtEmptyPath, out errno);

    /// <summary>fstat of an open descriptor.</summary>
    public static FileStatus? Stat(SafeHandle handle, out int errno)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Stat((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath, out errno);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static unsafe FileStatus? Stat(int directory, string path, int flags, out int errno)
    {
        // struct statx has one layout on every Linux architecture: mode at 28 (u16), uid at 20, size at 40.
        var buffer = stackalloc byte[256];
        if (Statx(directory, path, flags, StatxBasicStats, buffer) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }

        errno = 0;
        return new FileStatus(*(ushort*)(buffer + 28), *(uint*)(buffer + 20), *(long*)(buffer + 40));
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenAt(int directory, string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    public static unsafe partial nint PRead(int fd, byte* buffer, nint count, long offset);

    /// <summary>
    /// openat2(directory, path, flags, mode, RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH): the descriptor, or -1 with the
    /// errno (ELOOP for a symlink anywhere in <paramref name="path"/>, ENOSYS on a kernel before 5.6).
    /// </summary>
    public static int OpenBeneath(int directory, string path, int flags, int mode) =>
        OpenAt2(directory, path, flags, mode, ResolveNoSymlinksBeneath);

    /// <summary>
    /// openat2(AT_FDCWD, path, flags, 0, RESOLVE_NO_SYMLINKS): an absolute path opened with no symlink followed in any
    /// of its components (a real path, as realpath gives it, opens in one call; -1 with ELOOP when a link has appeared
    /// in it since, ENOSYS on a kernel before 5.6).
    /// </summary>
    public static int OpenNoSymlinks(string path, int flags) => OpenAt2(AtFdCwd, path, flags, 0, ResolveNoSymlinks);

    /// <summary>
    /// <see cref="OpenNoSymlinks"/> that never waits for the disk (RESOLVE_CACHED): -1 with EAGAIN when a component of the
    /// path is not in the kernel's lookup cache, EINVAL on a kernel before 5.12.
    /// </summary>
    public static int OpenNoSymlinksCached(string path, int flags) =>
        OpenAt2(AtFdCwd, path, flags, 0, ResolveNoSymlinks | ResolveCached);

    /// <summary>
    /// openat2(AT_FDCWD, path, flags, 0, RESOLVE_CACHED): -1 with EAGAIN when a component of the path is not in the
    /// kernel's lookup cache, EINVAL on a kernel before 5.12.
    /// </summary>
    public static int OpenCached(string path, int flags) => OpenAt2(AtFdCwd, path, flags, 0, ResolveCached);

    /// <summary>
    /// pread that never waits for the disk (preadv2 with RWF_NOWAIT): what the page cache holds from
    /// <paramref name="offset"/> on, or -1 with EAGAIN when it holds none of it (EOPNOTSUPP on a file system without it).
    /// </summary>
    public static unsafe nint PReadNoWait(int fd, byte* buffer, nint count, long offset)
    {
        var vector = stackalloc nint[2];
        vector[0] = (nint)buffer;
        vector[1] = count;
        return PReadV2(fd, vector, 1, offset, RwfNoWait);
    }

    [LibraryImport("libc", EntryPoint = "preadv2", SetLastError = true)]
    private static unsafe partial nint PReadV2(int fd, nint* vectors, int count, long offset, int flags);

    /// <summary>openat2(2) with struct open_how { flags, mode, resolve }.</summary>
    private static unsafe int OpenAt2(int directory, string path, int flags, int mode, ulong resolve)
    {
        var how = stackalloc ulong[3];
        how[0] = (ulong)(uint)flags;
        how[1] = (ulong)mode;
        how[2] = resolve;
        var name = new byte[System.Text.Encoding.UTF8.GetByteCount(path) + 1];
        System.Text.Encoding.UTF8.GetBytes(path, name);
        fixed (byte* pointer = name)
        {
            return (int)Syscall(SysOpenat2, directory, pointer, how, 3 * sizeof(ulong));
        }
    }

    /// <summary>
    /// <see cref="OpenBeneath(int, string, int, int)"/> from <paramref name="folder"/>'s path (opened O_PATH for the call
    /// and closed after it): the descriptor, or -1 with the errno of the open that failed (the folder's or the file's).
    /// </summary>
    public static int OpenBeneath(string folder, string path, int flags, out int errno)
    {
        var directory = Open(folder, OPath | ODirectory | OCloExec, 0);
        if (directory < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return -1;
        }

        try
        {
            var fd = OpenBeneath(directory, path, flags, 0);
            errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
            return fd;
        }
        finally
        {
            Close(directory);
        }
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static unsafe partial long Syscall(long number, long directory, byte* path, ulong* how, long size);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Link(string existing, string newPath);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int FLock(int fd, int operation);

    public static int TryLockExclusive(SafeHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return FLock((int)handle.DangerousGetHandle(), LockExclusive | LockNonBlocking) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Takes (or with <paramref name="unlock"/> drops) an exclusive open-file-description lock on the one byte at
    /// <paramref name="offset"/>, without waiting: 0, or the errno (EAGAIN or EACCES when another open file description
    /// holds it, EINVAL when the kernel has no OFD locks). 64-bit processes only: struct flock is then the same on
    /// x86-64 and arm64 (type and whence as shorts, start at 8, length at 16, pid at 24, 32 bytes).
    /// </summary>
    public static unsafe int TrySetOpenFileLock(SafeHandle handle, long offset, bool unlock)
    {
        var flock = stackalloc byte[32];
        new Span<byte>(flock, 32).Clear();
        *(short*)flock = unlock ? FUnlock : FWriteLock;
        *(long*)(flock + 8) = offset;
        *(long*)(flock + 16) = 1;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return FcntlLock((int)handle.DangerousGetHandle(), FOfdSetLock, flock) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static unsafe partial int FcntlLock(int fd, int command, byte* flock);

    /// <summary>realpath(3): the absolute path with every link, "." and ".." resolved; null when it cannot be.</summary>
    public static unsafe string? RealPath(string path)
    {
        var resolved = RealPathNative(path, 0);
        if (resolved == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            NativeMemory.Free((void*)resolved);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint RealPathNative(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "umask")]
    public static partial int SetUmask(int mask);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);
}
