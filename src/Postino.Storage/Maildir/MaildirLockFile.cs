using Microsoft.Win32.SafeHandles;
using Postino.Storage.Files;

namespace Postino.Storage.Maildir;

/// <summary>
/// The one lock file of a store (<c>DATA/mailbox-locks</c>), on which each locked mailbox is one byte, locked with an
/// open-file-description lock (fcntl F_OFD_SETLK, Linux 3.15 and later): every session of the process shares this one
/// descriptor, so an idle logged-in session costs only its socket. OFD locks conflict between open file descriptions
/// (another process, or another store in this one) and the kernel drops them when the description closes, kill -9
/// included; they never conflict within one description, so the bytes this one holds are also kept in a table.
/// </summary>
internal sealed class MaildirLockFile(string path, bool openFileLocks = true)
{
    public const string FileName = "mailbox-locks";

    private readonly Lock _gate = new();
    private readonly HashSet<long> _held = [];
    private SafeFileHandle? _handle;
    private bool _unsupported = !openFileLocks || !UnixNative.IsSupported || !Environment.Is64BitProcess;

    /// <summary>The lock file of the store whose data folder is <paramref name="dataDirectory"/>.</summary>
    public static MaildirLockFile ForDataDirectory(string dataDirectory) =>
        new(System.IO.Path.Combine(System.IO.Path.GetFullPath(dataDirectory), FileName));

    public string Path => path;

    /// <summary>
    /// True when a lock is one fcntl on the open file: OFD locks work here and the file is open (a fallback lock file
    /// per Maildir, or the first open of this file, would create a file).
    /// </summary>
    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return !_unsupported && _handle is not null;
            }
        }
    }

    /// <summary>Bytes held through this file now.</summary>
    public int Held
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>
    /// Locks the byte at <paramref name="offset"/>: true when taken, false when held (here or by another open file
    /// description), null when this system has no OFD locks (the caller then falls back to a lock file per Maildir).
    /// </summary>
    public bool? TryLock(long offset)
    {
        lock (_gate)
        {
            if (_unsupported)
            {
                return null;
            }

            if (_held.Contains(offset))
            {
                return false;
            }

            _handle ??= Open();
            switch (UnixNative.TrySetOpenFileLock(_handle, offset, unlock: false))
            {
                case 0:
                    _held.Add(offset);
                    return true;
                case UnixNative.EWOULDBLOCK or UnixNative.EACCES:
                    return false;
                case UnixNative.EINVAL:
                    // A kernel before 3.15 (or a file system without them): nothing was taken, and nothing ever will be.
                    _unsupported = true;
                    return null;
                case var errno:
                    throw new IOException($"cannot lock {path} (errno {errno})", errno);
            }
        }
    }

    /// <summary>Unlocks a byte taken by <see cref="TryLock"/>.</summary>
    public void Unlock(long offset)
    {
        // Under the gate with the table, so that no other session of this process takes the byte (which the kernel
        // would let it) before it is really unlocked.
        lock (_gate)
        {
            if (_held.Remove(offset) && _handle is not null)
            {
                // An unlock fails only for a closed descriptor, which holds nothing: nothing to report.
                _ = UnixNative.TrySetOpenFileLock(_handle, offset, unlock: true);
            }
        }
    }

    private SafeFileHandle Open()
    {
        PrivateFiles.CreateFolder(System.IO.Path.GetDirectoryName(path)!);

        // Not through a symlink (a link to a file of root's would be created or locked in its place), 0600.
        return PrivateFiles.OpenLockFile(path);
    }
}
