using Postino.Storage.Files;

namespace Postino.Storage.Maildir;

/// <summary>One message for several folders: written and fsynced once, hard-linked into each.</summary>
public sealed partial class MaildirDelivery
{
    /// <summary>
    /// Delivers one message into several folders (an LMTP or SMTP transaction with several recipients) with one write
    /// and one fsync of its content: the file is written and fsynced in the first folder's <c>tmp/</c>, hard-linked
    /// into every other folder's <c>new/</c> (from <c>tmp/</c>, which no session touches), renamed into the first
    /// folder's <c>new/</c>, and then every <c>new/</c> is synced at once, each through the group commit (so those
    /// syncs are shared with other deliveries too). A folder is delivered only once the sync of its <c>new/</c>
    /// succeeded. Each folder's quota is checked against the written size before its name is made.
    /// </summary>
    /// <returns>
    /// Per target: the result, or the failure, or neither when no link could be made there (another file system, a
    /// folder named twice): the caller delivers that one a copy of its own.
    /// </returns>
    /// <exception cref="StorageException">the first folder's file could not be written: nothing was delivered.</exception>
    internal async ValueTask<(DeliveryResult? Result, Exception? Failure)[]> DeliverLinkedAsync(
        IReadOnlyList<MaildirTarget> targets, Stream message, CancellationToken cancellationToken)
    {
        var outcomes = new (DeliveryResult? Result, Exception? Failure)[targets.Count];
        var writer = targets[0];
        await using var pending = Durably(() => Begin(writer.Folder));

        // Each folder's own quota is checked below, against the whole message (bounded by the listener's size limit).
        await WriteAsync(pending, message, writer.User, long.MaxValue, cancellationToken);
        var baseName = pending.BaseName;
        var named = new List<int>(targets.Count);
        var folders = new HashSet<string>(StringComparer.Ordinal) { writer.Folder.New };
        for (var i = 1; i < targets.Count; i++)
        {
            if (!folders.Add(targets[i].Folder.New))
            {
                continue;
            }

            if (QuotaRefusal(targets[i], pending.StoredSize) is { } refusal)
            {
                outcomes[i] = (null, refusal);
            }
            else if (UnixNative.Link(pending.TemporaryPath, Path.Combine(targets[i].Folder.New, baseName)) == 0)
            {
                named.Add(i);
            }
        }

        if (QuotaRefusal(writer, pending.StoredSize) is { } writerRefusal)
        {
            outcomes[0] = (null, writerRefusal);
        }
        else
        {
            try
            {
                pending.MoveToNew();
                named.Insert(0, 0);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                outcomes[0] = (null, new StorageException("cannot store the message", exception));
            }
        }

        // Concurrently (the others started before this thread runs the first itself): on a journalling file system,
        // fsyncs that overlap are written in one journal commit.
        var syncs = new Task<Exception?>[named.Count];
        for (var n = 1; n < named.Count; n++)
        {
            var target = targets[named[n]];
            syncs[n] = Task.Run(() => SyncNewAsync(target));
        }

        if (named.Count > 0)
        {
            syncs[0] = SyncNewAsync(targets[named[0]]);
        }

        var result = new DeliveryResult(baseName, MaildirUidl.FromBaseName(baseName), pending.WireSize);
        for (var n = 0; n < named.Count; n++)
        {
            outcomes[named[n]] = await syncs[n] is { } failure ? (null, failure) : (result, null);
        }

        return outcomes;
    }

    /// <summary>Null once a sync of the target's <c>new/</c> covering its new name succeeded, else why not.</summary>
    private async Task<Exception?> SyncNewAsync(MaildirTarget target)
    {
        try
        {
            await _newSync.SyncAsync(target.Folder.New);
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new StorageException("cannot store the message", exception);
        }
    }

    /// <summary>Null when the target has room for <paramref name="size"/> more octets and one more message, else why not.</summary>
    private static StorageException? QuotaRefusal(MaildirTarget target, long size)
    {
        if (target.Quota.IsUnlimited)
        {
            return null;
        }

        MaildirUsage usage;
        try
        {
            usage = MaildirUsage.Measure(target.Folder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new StorageException("cannot store the message", exception);
        }

        if (target.Quota.MaxMessages is { } maxMessages && usage.Messages + 1 > maxMessages)
        {
            return new QuotaExceededException(target.User, "messages");
        }

        return target.Quota.MaxBytes is { } maxBytes && usage.Bytes + size > maxBytes
            ? new QuotaExceededException(target.User, "bytes")
            : null;
    }
}
