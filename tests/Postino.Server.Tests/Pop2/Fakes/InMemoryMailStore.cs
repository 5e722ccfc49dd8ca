using Postino.Protocols.Text;
using Postino.Storage;

namespace Postino.Server.Tests.Pop2.Fakes;

/// <summary>
/// A mail store in memory with the contract's semantics: one exclusive lock per (user, folder), snapshots at open,
/// deletions applied only by <see cref="IMaildrop.CommitAsync"/>. Folder names follow the contract: null or INBOX in
/// any case is the inbox, which always exists.
/// </summary>
public sealed class InMemoryMailStore(TimeProvider? time = null) : IMailStore
{
    private readonly Dictionary<(string User, string Folder), List<StoredMessage>> _folders = [];
    private readonly HashSet<(string User, string Folder)> _locked = [];
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private int _nextStorageId = 1;

    /// <summary>Folders whose open fails with a (non-lock) storage error.</summary>
    public HashSet<string> FailingFolders { get; } = [];

    public bool FailCommits { get; set; }

    /// <summary>When set, message streams hand out at most this many octets per read.</summary>
    public int? ReadChunkSize { get; set; }

    public int Commits { get; private set; }

    public static string Key(string? folder) =>
        folder is null || string.Equals(folder, "INBOX", StringComparison.OrdinalIgnoreCase) ? "INBOX" : folder;

    public void AddFolder(string user, string folder) => Folder(user, folder, create: true);

    public StoredMessage AddMessage(string user, string folder, byte[] bytes)
    {
        var message = new StoredMessage($"m{_nextStorageId++}", bytes, WireSize(bytes), _time.GetUtcNow());
        Folder(user, folder, create: true)!.Add(message);
        return message;
    }

    public IReadOnlyList<StoredMessage> Messages(string user, string folder) =>
        Folder(user, folder, create: false) ?? (IReadOnlyList<StoredMessage>)[];

    public int LockCount => _locked.Count;

    public bool IsLocked(string user, string folder) => _locked.Contains((user, Key(folder)));

    /// <summary>Holds a folder's lock as another session would.</summary>
    public void Lock(string user, string folder) => _locked.Add((user, Key(folder)));

    public ValueTask<IMaildrop> OpenAsync(string user, string? folder, CancellationToken cancellationToken)
    {
        var key = Key(folder);
        if (FailingFolders.Contains(key))
        {
            throw new StorageException($"cannot read {key}");
        }

        var messages = Folder(user, key, create: key == "INBOX") ?? throw new MailboxNotFoundException(user, key);
        if (!_locked.Add((user, key)))
        {
            throw new MailboxInUseException(user);
        }

        return ValueTask.FromResult<IMaildrop>(new InMemoryMaildrop(this, user, key, [.. messages]));
    }

    public ValueTask<DeliveryResult> DeliverAsync(string user, Stream message, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        message.CopyTo(copy);
        var stored = AddMessage(user, "INBOX", copy.ToArray());
        return ValueTask.FromResult(new DeliveryResult(stored.StorageId, stored.StorageId, stored.Size));
    }

    internal void Commit(string user, string folder, IEnumerable<StoredMessage> deleted, IEnumerable<StoredMessage> retrieved)
    {
        if (FailCommits)
        {
            throw new StorageException("disk full");
        }

        Commits++;
        foreach (var message in retrieved)
        {
            message.FirstRetrievedAt ??= _time.GetUtcNow();
        }

        Folder(user, folder, create: false)!.RemoveAll(deleted.Contains);
    }

    internal void Unlock(string user, string folder) => _locked.Remove((user, folder));

    private List<StoredMessage>? Folder(string user, string folder, bool create)
    {
        var key = (user, Key(folder));
        if (!_folders.TryGetValue(key, out var messages) && create)
        {
            messages = [];
            _folders[key] = messages;
        }

        return messages;
    }

    private static long WireSize(byte[] bytes)
    {
        var encoder = new MessageEncoder(dotStuff: false);
        var counter = new CountingBufferWriter();
        encoder.Encode(bytes, counter);
        encoder.Complete(counter);
        return counter.Count;
    }
}
