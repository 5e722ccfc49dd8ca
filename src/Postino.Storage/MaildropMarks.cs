using Postino.Storage.Retention;

namespace Postino.Storage;

/// <summary>What a commit does to one message of the snapshot.</summary>
public enum MaildropChange
{
    /// <summary>Nothing: neither marked deleted nor retrieved.</summary>
    None,

    /// <summary>Remove it: marked deleted, or retrieved under <c>delete-on-retrieve</c>.</summary>
    Remove,

    /// <summary>Keep it and record that it was retrieved whole (for retention).</summary>
    Retrieved,
}

/// <summary>
/// The marks a session sets on its snapshot (deleted, retrieved) and the rule that a maildrop commits once and not
/// after disposal. Every store's maildrop keeps its marks here, so the stores differ only in how they apply a commit.
/// </summary>
public sealed class MaildropMarks
{
    private readonly object _owner;
    private readonly bool[] _deleted;
    private readonly bool[] _retrieved;
    private bool _committed;
    private bool _disposed;

    /// <param name="owner">The maildrop, named in <see cref="ObjectDisposedException"/>.</param>
    /// <param name="count">The number of messages in the snapshot.</param>
    /// <param name="retention">The user's retention: <c>delete-on-retrieve</c> removes retrieved messages at commit.</param>
    public MaildropMarks(object owner, int count, EffectiveRetention? retention)
    {
        _owner = owner;
        _deleted = new bool[count];
        _retrieved = new bool[count];
        DeleteRetrievedAtCommit = retention?.DeletesRetrievedAtCommit ?? false;
    }

    /// <summary>True when the user's retention is <c>delete-on-retrieve</c>: the commit removes retrieved messages too.</summary>
    public bool DeleteRetrievedAtCommit { get; }

    public int Count => _deleted.Length;

    public void MarkDeleted(int index)
    {
        CheckIndex(index);
        _deleted[index] = true;
    }

    public bool IsDeleted(int index)
    {
        CheckIndex(index);
        return _deleted[index];
    }

    /// <summary>Clears every deletion mark (POP3 RSET); retrieval marks stay.</summary>
    public void ClearDeletions() => Array.Clear(_deleted);

    public void MarkRetrieved(int index)
    {
        CheckIndex(index);
        _retrieved[index] = true;
    }

    /// <summary>What the commit does to the message at <paramref name="index"/>.</summary>
    public MaildropChange ChangeAt(int index) =>
        _deleted[index] || (_retrieved[index] && DeleteRetrievedAtCommit) ? MaildropChange.Remove
        : _retrieved[index] ? MaildropChange.Retrieved
        : MaildropChange.None;

    /// <summary>Starts the one commit; throws when the maildrop is disposed or has committed already.</summary>
    public void BeginCommit()
    {
        ObjectDisposedException.ThrowIf(_disposed, _owner);
        if (_committed)
        {
            throw new InvalidOperationException("this maildrop has already been committed");
        }

        _committed = true;
    }

    /// <summary>True the first time only: the caller then releases the mailbox lock.</summary>
    public bool TryDispose()
    {
        if (_disposed)
        {
            return false;
        }

        _disposed = true;
        return true;
    }

    /// <summary>Throws when the maildrop is disposed or <paramref name="index"/> is outside the snapshot.</summary>
    public void CheckIndex(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, _owner);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _deleted.Length);
    }
}
