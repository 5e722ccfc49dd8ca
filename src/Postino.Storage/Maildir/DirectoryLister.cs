namespace Postino.Storage.Maildir;

/// <summary>
/// The one way the store lists <c>new/</c> and <c>cur/</c>, counted so that tests can prove that a login on an
/// unchanged, indexed mailbox lists no directory.
/// </summary>
internal sealed class DirectoryLister
{
    private long _listings;

    /// <summary>How many directories were listed since the store was made.</summary>
    public long Listings => Interlocked.Read(ref _listings);

    /// <inheritdoc cref="MaildirFolder.ListMessages(string, Action{string, string}?)"/>
    public IEnumerable<string> ListMessages(string directory, Action<string, string>? skipped = null)
    {
        Interlocked.Increment(ref _listings);
        return MaildirFolder.ListMessages(directory, skipped);
    }

    /// <inheritdoc cref="MaildirFolder.ListMessageEntries(string, Action{string, string}?)"/>
    public IEnumerable<(string Name, ulong Inode)> ListMessageEntries(string directory, Action<string, string>? skipped = null)
    {
        Interlocked.Increment(ref _listings);
        return MaildirFolder.ListMessageEntries(directory, skipped);
    }
}
