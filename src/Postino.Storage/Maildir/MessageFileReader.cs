using Postino.Storage.Files;

namespace Postino.Storage.Maildir;

/// <summary>
/// The one way the store opens message files, counted so that tests can prove a login on an indexed mailbox opens none.
/// Never through a symlink and only a regular file (<see cref="PrivateFiles.OpenRead"/>): a link planted in <c>cur/</c>
/// towards a file the mailbox owner may not read is refused, not served.
/// </summary>
internal sealed class MessageFileReader
{
    private long _opens;

    /// <summary>How many message files were opened since the store was made.</summary>
    public long Opens => Interlocked.Read(ref _opens);

    public FileStream Open(string path)
    {
        Interlocked.Increment(ref _opens);
        return PrivateFiles.OpenRead(path);
    }
}
