using Postino.Storage.Files;

namespace Postino.Storage.Maildir;

/// <summary>
/// The one way the store opens message files, counted so that tests can prove a login on an indexed mailbox opens none.
/// Never through a symlink and only a regular file (<see cref="PrivateFiles.OpenReadBeneath"/>): a link planted in
/// <c>cur/</c> towards a file the mailbox owner may not read, or <c>cur/</c> itself replaced by a link to another
/// folder, is refused, not served.
/// </summary>
internal sealed class MessageFileReader
{
    private long _opens;

    /// <summary>How many message files were opened since the store was made.</summary>
    public long Opens => Interlocked.Read(ref _opens);

    /// <summary>Counts a message file opened another way (<see cref="BatchedSizeReader"/>'s raw descriptors).</summary>
    public void Counted() => Interlocked.Increment(ref _opens);

    public FileStream Open(string path)
    {
        // Message files are always MAILDIR/cur/NAME or MAILDIR/new/NAME: no link is followed below the Maildir.
        var folder = Path.GetDirectoryName(path);
        var maildir = folder is null ? null : Path.GetDirectoryName(folder);
        if (maildir is null)
        {
            Interlocked.Increment(ref _opens);
            return PrivateFiles.OpenRead(path);
        }

        Interlocked.Increment(ref _opens);
        return PrivateFiles.OpenReadBeneath(maildir, Path.Combine(Path.GetFileName(folder!), Path.GetFileName(path)));
    }

    /// <summary>
    /// Opens a message to send it (RETR, TOP, a copy to another store): <paramref name="relativePath"/> (<c>cur/NAME</c>)
    /// of the Maildir <paramref name="maildir"/> with no link followed below it, in one call when the Maildir's real path
    /// is known (<paramref name="realMaildir"/>, from its lock).
    /// </summary>
    public Stream OpenMessage(string maildir, string? realMaildir, string relativePath)
    {
        Interlocked.Increment(ref _opens);
        return PrivateFiles.OpenMessage(maildir, realMaildir, relativePath);
    }

    /// <summary>
    /// <see cref="OpenMessage"/> without waiting for the disk, or null (<see cref="PrivateFiles.TryOpenMessageCached"/>).
    /// </summary>
    public Stream? TryOpenMessageCached(string? realMaildir, string relativePath)
    {
        var stream = PrivateFiles.TryOpenMessageCached(realMaildir, relativePath);
        if (stream is not null)
        {
            Interlocked.Increment(ref _opens);
        }

        return stream;
    }
}
