using System.Buffers;

namespace Postino.Storage.Maildir;

/// <summary>
/// Durable delivery into a Maildir folder: the message is written to <c>tmp/</c>, fsynced, then renamed into
/// <c>new/</c> as <c>UNIQUE,S=FILESIZE,W=WIRESIZE</c> and <c>new/</c> is fsynced. A failure or a crash at any point
/// leaves no file in <c>new/</c>, or the whole message.
/// Deliveries never take the session lock and never write the index: the file name carries everything the index needs
/// (the UIDL is its unique part, the wire size its <c>,W=</c>, the arrival time its leading seconds and microseconds),
/// so the next login indexes it without opening it, and a session's commit cannot lose it.
/// Concurrent deliveries share the fsync of <c>new/</c> (<see cref="GroupDirectorySync"/>); none is acknowledged
/// before a sync that covers its rename has succeeded.
/// </summary>
public sealed partial class MaildirDelivery
{
    private const int BufferSize = 64 * 1024;

    private readonly string _hostName;
    private readonly TimeProvider _time;
    private readonly GroupDirectorySync _newSync;

    public MaildirDelivery(string hostName, TimeProvider time)
        : this(hostName, time, new GroupDirectorySync())
    {
    }

    /// <summary>Tests: the sync of <c>new/</c> they control.</summary>
    internal MaildirDelivery(string hostName, TimeProvider time, GroupDirectorySync newSync)
    {
        _hostName = hostName;
        _time = time;
        _newSync = newSync;
    }

    /// <summary>The fsyncs of <c>new/</c> run so far (fewer than deliveries when they overlap).</summary>
    public long NewDirectorySyncs => _newSync.Syncs;

    internal async ValueTask<DeliveryResult> DeliverAsync(
        string user,
        MaildirFolder folder,
        Stream message,
        MailboxQuota quota,
        CancellationToken cancellationToken)
    {
        var usage = quota.IsUnlimited ? MaildirUsage.Zero : MaildirUsage.Measure(folder);
        if (quota.MaxMessages is { } maxMessages && usage.Messages + 1 > maxMessages)
        {
            throw new QuotaExceededException(user, "messages");
        }

        var byteRoom = quota.MaxBytes is { } maxBytes ? maxBytes - usage.Bytes : long.MaxValue;
        await using var pending = Durably(() => Begin(folder));
        await WriteAsync(pending, message, user, byteRoom, cancellationToken);
        var baseName = await DurablyAsync(() => pending.CommitAsync());
        return new DeliveryResult(baseName, MaildirUidl.FromBaseName(baseName), pending.WireSize);
    }

    /// <summary>
    /// Starts a message in the Maildir at <paramref name="maildir"/> (created, 0700, when missing) for a caller that
    /// writes the bytes itself (<c>postino fetch</c>): the same names, permissions and durability as a delivery, and
    /// its commit shares this delivery's fsync of <c>new/</c>.
    /// </summary>
    public MaildirPendingMessage Begin(string maildir)
    {
        var folder = new MaildirFolder(Path.GetFullPath(maildir));
        folder.Create();
        return Begin(folder);
    }

    internal MaildirPendingMessage Begin(MaildirFolder folder) =>
        new(folder, MaildirUniqueName.Create(_time.GetUtcNow(), _hostName), _newSync.SyncAsync);

    /// <summary>Copies the message into the pending file within the quota's room, and fsyncs it.</summary>
    private static async ValueTask WriteAsync(
        MaildirPendingMessage pending,
        Stream message,
        string user,
        long byteRoom,
        CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;

            // Errors reading the source (a client gone mid-DATA) surface as they are; only our own writes become
            // StorageException, so the caller can tell a broken sender from a broken disk.
            while ((read = await message.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                if (pending.StoredSize + read > byteRoom)
                {
                    throw new QuotaExceededException(user, "bytes");
                }

                await DurablyAsync(() => pending.WriteAsync(buffer.AsMemory(0, read), cancellationToken));
            }

            await DurablyAsync(() => pending.FlushToDiskAsync(cancellationToken));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Durably(Action action) => Durably(() =>
    {
        action();
        return true;
    });

    private static T Durably<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StorageException("cannot store the message", exception);
        }
    }

    private static async ValueTask DurablyAsync(Func<ValueTask> action)
    {
        try
        {
            await action();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StorageException("cannot store the message", exception);
        }
    }

    private static async ValueTask<T> DurablyAsync<T>(Func<ValueTask<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StorageException("cannot store the message", exception);
        }
    }
}
