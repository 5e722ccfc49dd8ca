namespace Postino.Storage;

/// <summary>
/// A session's exclusive view of one mailbox: the snapshot taken at open. Message indexes are 0-based and never shift
/// inside a session. Deletions are only marks until <see cref="CommitAsync"/>; disposing without committing changes
/// nothing and releases the lock.
/// </summary>
public interface IMaildrop : IAsyncDisposable
{
    string User { get; }

    /// <summary>
    /// The user's retention, resolved when this maildrop opened (null when the store enforces none): what its commit
    /// applies and what the protocol layer announces for the logged-in user.
    /// </summary>
    Retention.EffectiveRetention? Retention => null;

    /// <summary>The snapshot, in message-number order (index 0 is message 1).</summary>
    IReadOnlyList<MessageInfo> Messages { get; }

    /// <summary>The stored bytes of a message (line ends as stored: LF or CRLF), streamed from disk.</summary>
    ValueTask<Stream> OpenMessageAsync(int index, CancellationToken cancellationToken);

    void MarkDeleted(int index);

    bool IsDeleted(int index);

    /// <summary>Clears every deletion mark (POP3 RSET).</summary>
    void ClearDeletions();

    /// <summary>Records that the message was retrieved whole in this session (applied at commit, for retention).</summary>
    void MarkRetrieved(int index);

    /// <summary>
    /// Applies deletions and retrieval records, durably, all at once. Throws <see cref="StorageException"/> when they
    /// could not all be applied.
    /// </summary>
    ValueTask CommitAsync(CancellationToken cancellationToken);
}
