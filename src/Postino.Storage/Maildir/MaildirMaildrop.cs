using Microsoft.Extensions.Logging;
using Postino.Storage.Retention;
using Postino.Storage.Threading;

namespace Postino.Storage.Maildir;

/// <summary>
/// A session's snapshot of one locked Maildir folder. Marks live in memory until <see cref="CommitAsync"/>; disposing
/// without a commit changes nothing on disk and releases the lock.
/// </summary>
public sealed class MaildirMaildrop : IMaildrop
{
    private readonly MaildirFolder _folder;
    private readonly MaildirLock _lock;
    private readonly List<MaildirMessage> _messages;
    private readonly Dictionary<string, MaildirIndexEntry> _entries;
    private readonly MessageFileReader _files;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MessageInfo[] _infos;
    private readonly MaildropMarks _marks;

    /// <summary>The index write the snapshot left, running while the session replies; done before the lock goes.</summary>
    private readonly Task _indexWrite;

    internal MaildirMaildrop(
        string user,
        MaildirFolder folder,
        MaildirLock mailboxLock,
        MaildirSnapshot snapshot,
        MessageFileReader files,
        TimeProvider time,
        ILogger logger,
        EffectiveRetention? retention)
    {
        User = user;
        _folder = folder;
        _lock = mailboxLock;
        _messages = snapshot.Messages;
        _entries = snapshot.Entries;
        _files = files;
        _time = time;
        _logger = logger;
        Retention = retention;
        _infos = new MessageInfo[_messages.Count];
        for (var i = 0; i < _infos.Length; i++)
        {
            _infos[i] = _messages[i].Info;
        }

        _marks = new MaildropMarks(this, _messages.Count, retention);
        _indexWrite = snapshot.IndexToWrite is { } write ? Task.Run(() => WriteIndexAsync(write)) : Task.CompletedTask;
    }

    /// <summary>The background index write, for tests that look at the file while the maildrop is open.</summary>
    internal Task IndexWritten => _indexWrite;

    public string User { get; }

    public EffectiveRetention? Retention { get; }

    public IReadOnlyList<MessageInfo> Messages => _infos;

    /// <summary>The Maildir folder this maildrop serves (its root directory).</summary>
    public string FolderPath => _folder.Root;

    /// <summary>
    /// True when the user's retention policy is <c>delete-on-retrieve</c>: the commit deletes every message marked
    /// retrieved, as if it had been marked deleted.
    /// </summary>
    public bool DeleteRetrievedAtCommit => _marks.DeleteRetrievedAtCommit;

    /// <summary>
    /// On a socket's event thread the message is opened only if that needs no disk access (the kernel's lookup cache);
    /// otherwise, and whenever the file is not where the snapshot saw it, on a pool thread.
    /// </summary>
    public ValueTask<Stream> OpenMessageAsync(int index, CancellationToken cancellationToken)
    {
        _marks.CheckIndex(index);
        if (!OffEventLoop.IsEventThread)
        {
            return ValueTask.FromResult(OpenMessage(index));
        }

        return _files.TryOpenMessageCached(_lock.RealPath, "cur/" + _messages[index].FileName) is { } cached
            ? ValueTask.FromResult(cached)
            : OpenMessageOnPoolAsync(index);
    }

    private async ValueTask<Stream> OpenMessageOnPoolAsync(int index)
    {
        await OffEventLoop.Yield();
        return OpenMessage(index);
    }

    private Stream OpenMessage(int index)
    {
        var message = _messages[index];
        try
        {
            return _files.OpenMessage(_folder.Root, _lock.RealPath, "cur/" + message.FileName);
        }
        catch (FileNotFoundException)
        {
            // Another Maildir reader changed its flags (renamed it) since the snapshot: find it by its base name.
        }
        catch (IOException exception)
        {
            throw new StorageException($"cannot read message {message.StorageId}", exception);
        }

        var current = _folder.FindInCur(message.StorageId)
            ?? throw new StorageException($"message {message.StorageId} has been removed by another program") { IsTemporary = false };
        message.FileName = current;
        try
        {
            return _files.OpenMessage(_folder.Root, _lock.RealPath, "cur/" + current);
        }
        catch (IOException exception)
        {
            throw new StorageException($"cannot read message {message.StorageId}", exception);
        }
    }

    public void MarkDeleted(int index) => _marks.MarkDeleted(index);

    public bool IsDeleted(int index) => _marks.IsDeleted(index);

    public void ClearDeletions() => _marks.ClearDeletions();

    public void MarkRetrieved(int index) => _marks.MarkRetrieved(index);

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        _marks.BeginCommit();

        // One writer of the index at a time: the snapshot's, then the commit's (which replaces it).
        await _indexWrite;
        var now = DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());
        var failures = new List<string>();
        var changed = false;

        // The entries may be the store's cached parse of the index (MaildirIndexCache), which must stay as the file is:
        // changed on a copy, made at the first change.
        Dictionary<string, MaildirIndexEntry>? entries = null;
        for (var index = 0; index < _messages.Count; index++)
        {
            var message = _messages[index];
            var change = _marks.ChangeAt(index);
            if (change == MaildropChange.Remove)
            {
                await OffEventLoop.Yield();
                if (TryDelete(message, failures))
                {
                    (entries ??= new(_entries, StringComparer.Ordinal)).Remove(message.StorageId);
                    changed = true;
                }
            }
            else if (change == MaildropChange.Retrieved && (entries ?? _entries).TryGetValue(message.StorageId, out var entry))
            {
                if (entry.FirstRetrievedAt is null)
                {
                    (entries ??= new(_entries, StringComparer.Ordinal))[message.StorageId] = entry with { FirstRetrievedAt = now };
                    changed = true;
                }

                await MarkSeenAsync(message);
            }
        }

        try
        {
            if (changed)
            {
                await OffEventLoop.Yield();
                Files.DurableFiles.SyncDirectory(_folder.Cur);
                await MaildirIndexFile.SaveAsync(_folder.Root, (entries ?? _entries).Values, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot write the index of {User}'s mailbox", exception);
        }

        if (failures.Count > 0)
        {
            throw new StorageException($"could not delete {failures.Count} message(s) of {User}: {string.Join(", ", failures)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_marks.TryDispose())
        {
            // The index is written under the lock: the next session must not find the write of this one running.
            await _indexWrite;
            _lock.Dispose();
        }
    }

    /// <summary>
    /// Writes the index the snapshot left (durably: temporary file, fsync, rename). It is not on the login's path: a
    /// first login of a big mailbox answers before its index is on disk, and a crash before then only means the next
    /// login measures again. A failure is logged, never thrown: the index is a cache of the files.
    /// </summary>
    private async Task WriteIndexAsync(MaildirIndexWrite write)
    {
        try
        {
            await MaildirIndexFile.SaveAsync(_folder.Root, write.Entries, write.Stamps, CancellationToken.None);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(exception, "Cannot write the index of {User}'s Maildir {Folder}; the next login rebuilds it", User, _folder.Root);
        }
    }

    /// <summary>Deletes a message's file; one already gone (another reader deleted it) counts as deleted.</summary>
    private bool TryDelete(MaildirMessage message, List<string> failures)
    {
        try
        {
            var path = Path.Combine(_folder.Cur, message.FileName);
            if (!File.Exists(path) && _folder.FindInCur(message.StorageId) is { } renamed)
            {
                path = Path.Combine(_folder.Cur, renamed);
            }

            File.Delete(path);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _logger.LogError(exception, "Cannot delete message {BaseName} of {User}", message.StorageId, User);
            failures.Add(message.StorageId);
            return false;
        }
    }

    /// <summary>Sets the Maildir S (seen) flag so other Maildir readers see the message as read. Best effort: the index holds the retrieval time.</summary>
    private async ValueTask MarkSeenAsync(MaildirMessage message)
    {
        var name = MaildirFileName.Parse(message.FileName);
        var seen = name.WithFlag('S');
        if (seen == message.FileName)
        {
            return;
        }

        await OffEventLoop.Yield();

        try
        {
            File.Move(Path.Combine(_folder.Cur, message.FileName), Path.Combine(_folder.Cur, seen), overwrite: false);
            message.FileName = seen;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(exception, "Cannot set the seen flag of message {BaseName} of {User}", message.StorageId, User);
        }
    }
}
