using Postino.Storage;

namespace Postino.Server.Tests.Pop2.Fakes;

/// <summary>The snapshot of one folder held by one session of <see cref="InMemoryMailStore"/>.</summary>
public sealed class InMemoryMaildrop : IMaildrop
{
    private readonly InMemoryMailStore _store;
    private readonly string _folder;
    private readonly List<StoredMessage> _snapshot;
    private readonly HashSet<int> _deleted = [];
    private readonly HashSet<int> _retrieved = [];
    private bool _disposed;

    internal InMemoryMaildrop(InMemoryMailStore store, string user, string folder, List<StoredMessage> snapshot)
    {
        _store = store;
        _folder = folder;
        _snapshot = snapshot;
        User = user;
        Messages = [.. snapshot.Select(m => new MessageInfo(m.StorageId, "u" + m.StorageId, m.Size, m.ReceivedAt, m.FirstRetrievedAt))];
    }

    public string User { get; }

    public IReadOnlyList<MessageInfo> Messages { get; }

    public ValueTask<Stream> OpenMessageAsync(int index, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Stream>(_store.ReadChunkSize is { } chunk
            ? new TrickleStream(_snapshot[index].Bytes, chunk)
            : new MemoryStream(_snapshot[index].Bytes, writable: false));

    public void MarkDeleted(int index) => _deleted.Add(Check(index));

    public bool IsDeleted(int index) => _deleted.Contains(index);

    public void ClearDeletions() => _deleted.Clear();

    public void MarkRetrieved(int index) => _retrieved.Add(Check(index));

    public ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _store.Commit(User, _folder, _deleted.Select(i => _snapshot[i]), _retrieved.Select(i => _snapshot[i]));
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _store.Unlock(User, _folder);
        }

        return ValueTask.CompletedTask;
    }

    private int Check(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _snapshot.Count);
        return index;
    }
}
