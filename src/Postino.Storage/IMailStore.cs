namespace Postino.Storage;

/// <summary>A mail store: where mailboxes live (Maildir by default).</summary>
public interface IMailStore
{
    /// <summary>
    /// Opens a user's mailbox exclusively and takes a snapshot of it. <paramref name="folder"/> null or "INBOX"
    /// (any case) is the inbox; any other name is a Maildir++ subfolder.
    /// </summary>
    /// <exception cref="MailboxInUseException">another session holds the mailbox.</exception>
    /// <exception cref="MailboxNotFoundException">the folder does not exist.</exception>
    /// <exception cref="StorageException">the store failed (disk, permissions).</exception>
    ValueTask<IMaildrop> OpenAsync(string user, string? folder, CancellationToken cancellationToken);

    /// <summary>
    /// Delivers one message durably: it is on disk (file and directory fsynced) when this returns.
    /// The stream is read once, to its end, and never held whole in memory.
    /// </summary>
    ValueTask<DeliveryResult> DeliverAsync(string user, Stream message, CancellationToken cancellationToken);
}
