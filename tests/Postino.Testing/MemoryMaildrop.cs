using Postino.Storage;

namespace Postino.Testing;

/// <summary>One session's snapshot of a <see cref="MemoryMailbox"/>; it releases the mailbox when disposed.</summary>
public sealed class MemoryMaildrop : IMaildrop
{
    private readonly MemoryMailStore _store;
    private readonly MemoryMailbox _mailbox;
    private readonly MemoryMessage[] _snapshot;
    private readonly bool[] _deleted;
    private readonly bool[] _retrieved;
    private bool _disposed;

    internal MemoryMaildrop(MemoryMailStore store, MemoryMailbox mailbox, MemoryMessage[] snapshot)
    {
        _store = store;
        _mailbox = mailbox;
        _snapshot = snapshot;
        _deleted = new bool[snapshot.Length];
        _retrieved = new bool[snapshot.Length];
        Messages = [.. snapshot.Select(m => new MessageInfo(m.StorageId, m.Uidl, m.Size, m.ReceivedAt, m.FirstRetrievedAt))];
    }

    public string User => _mailbox.User;

    public IReadOnlyList<MessageInfo> Messages { get; }

    public ValueTask<Stream> OpenMessageAsync(int index, CancellationToken cancellationToken)
    {
        var message = _snapshot[Check(index)];
        return ValueTask.FromResult(message.Open is { } open ? open() : _store.OpenStream(message.Bytes));
    }

    public void MarkDeleted(int index) => _deleted[Check(index)] = true;

    public bool IsDeleted(int index) => _deleted[index];

    public void ClearDeletions() => Array.Clear(_deleted);

    public void MarkRetrieved(int index) => _retrieved[Check(index)] = true;

    public ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _store.Commit(_mailbox, _snapshot.Where((_, i) => _deleted[i]), _snapshot.Where((_, i) => _retrieved[i]));
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _mailbox.CountDispose();
        if (!_disposed)
        {
            _disposed = true;
            MemoryMailStore.Unlock(_mailbox);
        }

        return ValueTask.CompletedTask;
    }

    private int Check(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _snapshot.Length);
        return index;
    }
}
