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

    /// <summary>
    /// Delivers one message to several users (an LMTP/SMTP transaction, <c>postino deliver</c> with several names):
    /// one outcome per user, in order; every delivered copy is durable when this returns. A store with transactions
    /// stores every accepted copy in one transaction (all or none); a refusal that concerns one user (quota) refuses
    /// that user only. The default stores one copy after the other, as Maildir does.
    /// </summary>
    ValueTask<IReadOnlyList<RecipientDelivery>> DeliverAsync(
        IReadOnlyList<string> users, IMessageSource message, CancellationToken cancellationToken) =>
        RecipientDelivery.OneByOneAsync(this, users, message, cancellationToken);
}
