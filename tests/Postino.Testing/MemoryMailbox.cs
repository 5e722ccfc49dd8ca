using Postino.Storage;

namespace Postino.Testing;

/// <summary>One folder of one user in <see cref="MemoryMailStore"/>, with what tests inspect afterwards.</summary>
public sealed class MemoryMailbox
{
    private readonly MemoryMailStore _store;
    private int _disposeCount;

    internal MemoryMailbox(MemoryMailStore store, string user, string folder)
    {
        _store = store;
        User = user;
        Folder = folder;
    }

    public string User { get; }

    /// <summary>The folder's key: "INBOX" for the inbox, whatever case it was named in.</summary>
    public string Folder { get; }

    public List<MemoryMessage> Messages { get; } = [];

    /// <summary>Another session holds the mailbox (set it to simulate one).</summary>
    public bool IsLocked { get; set; }

    public int OpenCount { get; set; }

    /// <summary>Calls to DisposeAsync on this mailbox's maildrops (a second call on the same one counts too).</summary>
    public int DisposeCount => _disposeCount;

    /// <summary>Thrown by OpenAsync when set.</summary>
    public Exception? OpenFailure { get; set; }

    /// <summary>Thrown by CommitAsync when set.</summary>
    public Exception? CommitFailure { get; set; }

    public int CommitCount { get; set; }

    /// <summary>UIDLs removed by commits.</summary>
    public List<string> DeletedUidls { get; } = [];

    /// <summary>UIDLs recorded as retrieved by commits.</summary>
    public List<string> RetrievedUidls { get; } = [];

    /// <summary>Adds a message with this UIDL after those already there.</summary>
    public MemoryMessage Add(string uidl, byte[] stored) => _store.Add(this, uidl, stored);

    public MemoryMessage Add(string uidl, string stored) => Add(uidl, System.Text.Encoding.UTF8.GetBytes(stored));

    internal void CountDispose() => Interlocked.Increment(ref _disposeCount);
}
