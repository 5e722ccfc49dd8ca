namespace Postino.Storage.Maildir;

/// <summary>
/// The one way the store opens message files, counted so that tests can prove a login on an indexed mailbox opens none.
/// </summary>
internal sealed class MessageFileReader
{
    private long _opens;

    /// <summary>How many message files were opened since the store was made.</summary>
    public long Opens => Interlocked.Read(ref _opens);

    public FileStream Open(string path)
    {
        Interlocked.Increment(ref _opens);
        return new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            BufferSize = 0,
        });
    }
}
