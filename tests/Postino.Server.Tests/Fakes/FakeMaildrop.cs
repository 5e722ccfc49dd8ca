using Postino.Storage;

namespace Postino.Server.Tests.Fakes;

/// <summary>A session's snapshot of a <see cref="FakeMailbox"/>.</summary>
public sealed class FakeMaildrop : IMaildrop
{
    private readonly FakeMailbox _mailbox;
    private readonly FakeMessage[] _snapshot;
    private readonly bool[] _deleted;
    private readonly bool[] _retrieved;

    public FakeMaildrop(FakeMailbox mailbox)
    {
        _mailbox = mailbox;
        _snapshot = [.. mailbox.Messages];
        _deleted = new bool[_snapshot.Length];
        _retrieved = new bool[_snapshot.Length];
        Messages = [.. _snapshot.Select((m, i) => new MessageInfo($"s{i}", m.Uidl, m.Size, DateTimeOffset.UnixEpoch, null))];
    }

    public string User => _mailbox.User;

    public IReadOnlyList<MessageInfo> Messages { get; }

    public ValueTask<Stream> OpenMessageAsync(int index, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_snapshot[index].Open());

    public void MarkDeleted(int index) => _deleted[index] = true;

    public bool IsDeleted(int index) => _deleted[index];

    public void ClearDeletions() => Array.Clear(_deleted);

    public void MarkRetrieved(int index) => _retrieved[index] = true;

    public ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        if (_mailbox.CommitFailure is { } failure)
        {
            throw failure;
        }

        for (var i = 0; i < _snapshot.Length; i++)
        {
            if (_retrieved[i])
            {
                _mailbox.RetrievedUidls.Add(_snapshot[i].Uidl);
            }

            if (_deleted[i])
            {
                _mailbox.Messages.Remove(_snapshot[i]);
                _mailbox.DeletedUidls.Add(_snapshot[i].Uidl);
            }
        }

        _mailbox.CommitCount++;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        lock (_mailbox)
        {
            _mailbox.IsLocked = false;
        }

        return ValueTask.CompletedTask;
    }
}
