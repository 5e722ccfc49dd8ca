using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Postino.Storage.Maildir;

/// <summary>
/// The exclusive lock of one Maildir folder, held by a session (POP3 or POP2), the retention sweeper or
/// <c>postino import dovecot</c>; deliveries never take it. It is one byte of the store's <see cref="MaildirLockFile"/>,
/// at an offset from a hash of the folder's real path (every link, "." and ".." resolved, so two spellings of one
/// folder lock the same byte), so that holding it costs no descriptor. Where the kernel has no OFD locks, it is the
/// former exclusive flock of a <c>postino-lock</c> file in the folder, one descriptor per lock. Either way it is an
/// OS lock that the kernel drops when the process ends, kill -9 included, so a stale lock never blocks the next start.
/// </summary>
internal sealed class MaildirLock : IDisposable
{
    /// <summary>The lock file in each Maildir when OFD locks are missing (and the only lock of Postino before them).</summary>
    public const string FileName = "postino-lock";

    private readonly MaildirLockFile? _shared;
    private readonly long _offset;
    private readonly FileStream? _file;
    private int _disposed;

    private MaildirLock(MaildirLockFile shared, long offset, string? realPath)
    {
        _shared = shared;
        _offset = offset;
        RealPath = realPath;
    }

    private MaildirLock(FileStream file, string? realPath)
    {
        _file = file;
        RealPath = realPath;
    }

    /// <summary>
    /// The folder's real path when the lock was taken (null when it could not be resolved): the maildrop opens message
    /// files through it in one call (<see cref="Files.PrivateFiles.OpenMessage"/>).
    /// </summary>
    public string? RealPath { get; }

    /// <summary>Takes the lock, or returns null when someone else holds it.</summary>
    public static MaildirLock? TryAcquire(string maildir, MaildirLockFile locks)
    {
        var realPath = ResolveRealPath(maildir);
        var offset = OffsetOf(realPath ?? Path.GetFullPath(maildir));
        return locks.TryLock(offset) switch
        {
            true => new MaildirLock(locks, offset, realPath),
            false => null,
            null => TryAcquireFile(maildir, realPath),
        };
    }

    /// <summary>The folder's real path; its full path when it cannot be resolved (not there yet, or not Linux).</summary>
    internal static string CanonicalPath(string maildir) => ResolveRealPath(maildir) ?? Path.GetFullPath(maildir);

    private static string? ResolveRealPath(string maildir) =>
        Files.UnixNative.IsSupported ? Files.UnixNative.RealPath(maildir) : null;

    /// <summary>
    /// The byte of a folder: the first 8 bytes of the SHA-256 of its path, below 2^63 - 1 so that the byte's end still
    /// fits an off_t. Stable across processes, versions and restarts (string.GetHashCode is not).
    /// </summary>
    internal static long OffsetOf(string canonicalPath)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(canonicalPath), digest);
        return (long)(BinaryPrimitives.ReadUInt64LittleEndian(digest) % long.MaxValue);
    }

    private static MaildirLock? TryAcquireFile(string maildir, string? realPath)
    {
        var path = Path.Combine(maildir, FileName);
        try
        {
            // Not through a symlink (a link to a file of root's would be created or locked in its place), 0600.
            return new MaildirLock(Files.PrivateFiles.OpenExclusiveLock(path), realPath);
        }
        catch (IOException exception) when (IsHeldElsewhere(exception))
        {
            return null;
        }
    }

    /// <summary>
    /// True for "locked by someone else" (flock's EWOULDBLOCK on Unix, a sharing or lock violation on Windows), so that
    /// a real I/O error is reported as one and not as a busy mailbox.
    /// </summary>
    private static bool IsHeldElsewhere(IOException exception) => exception.HResult switch
    {
        11 when OperatingSystem.IsLinux() => true, // EAGAIN/EWOULDBLOCK
        35 when OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() => true, // EAGAIN/EWOULDBLOCK
        unchecked((int)0x80070020) or unchecked((int)0x80070021) => true, // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
        _ => false,
    };

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _shared?.Unlock(_offset);
        _file?.Dispose();
    }
}
