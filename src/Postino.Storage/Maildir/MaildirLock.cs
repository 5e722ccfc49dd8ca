namespace Postino.Storage.Maildir;

/// <summary>
/// The exclusive lock of one Maildir folder, held by a session (POP3 or POP2) or the retention sweeper. It is an OS
/// advisory lock: .NET opens a file with <see cref="FileShare.None"/> under an exclusive, non-blocking <c>flock</c> on
/// Unix, which excludes every other open of the file (another process, or another handle in this one) and which the
/// kernel drops when the process ends, kill -9 included, so a stale lock can never block the next start.
/// Deliveries never take it.
/// </summary>
internal sealed class MaildirLock : IDisposable
{
    public const string FileName = "postino-lock";

    private readonly FileStream _file;

    private MaildirLock(FileStream file) => _file = file;

    /// <summary>Takes the lock, or returns null when someone else holds it.</summary>
    public static MaildirLock? TryAcquire(string maildir)
    {
        var path = Path.Combine(maildir, FileName);
        try
        {
            // Not through a symlink (a link to a file of root's would be created or locked in its place), 0600.
            var file = Files.PrivateFiles.OpenExclusiveLock(path);
            return new MaildirLock(file);
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

    public void Dispose() => _file.Dispose();
}
