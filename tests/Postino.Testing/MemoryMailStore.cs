using System.Collections.Concurrent;
using Postino.Protocols.Text;
using Postino.Storage;

namespace Postino.Testing;

/// <summary>
/// A mail store in memory with the contract's semantics: one exclusive lock per (user, folder), snapshots at open,
/// deletions applied only by <see cref="IMaildrop.CommitAsync"/>; null or INBOX in any case is the inbox, which
/// always exists, and another folder exists once added. Failures are injected per mailbox, per folder name, per
/// delivery recipient or for every commit; deliveries are recorded.
/// </summary>
public sealed class MemoryMailStore(TimeProvider? time = null) : IMailStore
{
    private readonly ConcurrentDictionary<(string User, string Folder), MemoryMailbox> _mailboxes = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private int _nextStorageId;

    /// <summary>Every mailbox a test has touched.</summary>
    public IEnumerable<MemoryMailbox> Mailboxes => _mailboxes.Values;

    /// <summary>Folder names whose open fails with a (non-lock) storage error, for every user.</summary>
    public HashSet<string> FailingFolders { get; } = new(StringComparer.Ordinal);

    /// <summary>Every commit fails with a temporary storage error.</summary>
    public bool FailCommits { get; set; }

    /// <summary>Opens a message's octets (default: a read-only memory stream); a test can make it trickle.</summary>
    public Func<byte[], Stream> OpenStream { get; set; } = bytes => new MemoryStream(bytes, writable: false);

    /// <summary>What <see cref="DeliverAsync"/> accepted, in order.</summary>
    public ConcurrentQueue<(string User, byte[] Message)> Deliveries { get; } = new();

    /// <summary>User name -> the exception DeliverAsync throws for that user (after reading the stream).</summary>
    public ConcurrentDictionary<string, Func<Exception>> DeliveryFailures { get; } = new(StringComparer.Ordinal);

    public int Commits => _mailboxes.Values.Sum(mailbox => mailbox.CommitCount);

    public int LockCount => _mailboxes.Values.Count(mailbox => mailbox.IsLocked);

    /// <summary>The folder's key: "INBOX" for null or INBOX in any case, else the name as given.</summary>
    public static string Key(string? folder) =>
        folder is null || string.Equals(folder, "INBOX", StringComparison.OrdinalIgnoreCase) ? "INBOX" : folder;

    /// <summary>The user's folder (the inbox by default), created if needed.</summary>
    public MemoryMailbox Mailbox(string user, string? folder = null) =>
        _mailboxes.GetOrAdd((user, Key(folder)), key => new MemoryMailbox(this, key.User, key.Folder));

    public void AddFolder(string user, string folder) => Mailbox(user, folder);

    /// <summary>Adds a message with a UIDL the store makes up ("u" and its storage id).</summary>
    public MemoryMessage AddMessage(string user, string folder, byte[] bytes) => Add(Mailbox(user, folder), uidl: null, bytes);

    public IReadOnlyList<MemoryMessage> Messages(string user, string folder) =>
        _mailboxes.TryGetValue((user, Key(folder)), out var mailbox) ? mailbox.Messages : [];

    public bool IsLocked(string user, string folder) => _mailboxes.TryGetValue((user, Key(folder)), out var mailbox) && mailbox.IsLocked;

    /// <summary>Holds a folder's lock as another session would.</summary>
    public void Lock(string user, string folder) => Mailbox(user, folder).IsLocked = true;

    public ValueTask<IMaildrop> OpenAsync(string user, string? folder, CancellationToken cancellationToken)
    {
        var key = Key(folder);
        if (FailingFolders.Contains(key))
        {
            throw new StorageException($"cannot read {key}");
        }

        if (key != "INBOX" && !_mailboxes.ContainsKey((user, key)))
        {
            throw new MailboxNotFoundException(user, key);
        }

        var mailbox = Mailbox(user, key);
        if (mailbox.OpenFailure is { } failure)
        {
            throw failure;
        }

        lock (mailbox)
        {
            if (mailbox.IsLocked)
            {
                throw new MailboxInUseException(user);
            }

            mailbox.IsLocked = true;
            mailbox.OpenCount++;
            return ValueTask.FromResult<IMaildrop>(new MemoryMaildrop(this, mailbox, [.. mailbox.Messages]));
        }
    }

    public async ValueTask<DeliveryResult> DeliverAsync(string user, Stream message, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        await message.CopyToAsync(copy, cancellationToken);
        if (DeliveryFailures.TryGetValue(user, out var failure))
        {
            throw failure();
        }

        var bytes = copy.ToArray();
        Deliveries.Enqueue((user, bytes));
        var stored = AddMessage(user, "INBOX", bytes);
        return new DeliveryResult(stored.StorageId, stored.Uidl, bytes.Length);
    }

    internal MemoryMessage Add(MemoryMailbox mailbox, string? uidl, byte[] bytes)
    {
        var storageId = $"m{Interlocked.Increment(ref _nextStorageId)}";
        var message = new MemoryMessage(storageId, uidl ?? "u" + storageId, bytes, WireSize(bytes), _time.GetUtcNow());
        lock (mailbox)
        {
            mailbox.Messages.Add(message);
        }

        return message;
    }

    internal void Commit(MemoryMailbox mailbox, IEnumerable<MemoryMessage> deleted, IEnumerable<MemoryMessage> retrieved)
    {
        if (mailbox.CommitFailure is { } failure)
        {
            throw failure;
        }

        if (FailCommits)
        {
            throw new StorageException("disk full");
        }

        lock (mailbox)
        {
            foreach (var message in retrieved)
            {
                message.FirstRetrievedAt ??= _time.GetUtcNow();
                mailbox.RetrievedUidls.Add(message.Uidl);
            }

            foreach (var message in deleted)
            {
                mailbox.Messages.Remove(message);
                mailbox.DeletedUidls.Add(message.Uidl);
            }

            mailbox.CommitCount++;
        }
    }

    internal static void Unlock(MemoryMailbox mailbox)
    {
        lock (mailbox)
        {
            mailbox.IsLocked = false;
        }
    }

    /// <summary>The size POP3 and POP2 announce: the message with CRLF line ends, before dot-stuffing.</summary>
    public static long WireSize(byte[] bytes)
    {
        var encoder = new MessageEncoder(dotStuff: false);
        var counter = new CountingBufferWriter();
        encoder.Encode(bytes, counter);
        encoder.Complete(counter);
        return counter.Count;
    }
}
