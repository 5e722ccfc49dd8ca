using System.Buffers;
using System.Globalization;
using Postino.Protocols.Text;

namespace Postino.Storage.Maildir;

/// <summary>
/// Durable delivery into a Maildir folder: the message is written to <c>tmp/</c>, fsynced, then renamed into
/// <c>new/</c> as <c>UNIQUE,S=FILESIZE,W=WIRESIZE</c> and <c>new/</c> is fsynced. A failure or a crash at any point
/// leaves no file in <c>new/</c>, or the whole message.
/// Deliveries never take the session lock and never write the index: the file name carries everything the index needs
/// (the UIDL is its unique part, the wire size its <c>,W=</c>, the arrival time its leading seconds and microseconds),
/// so the next login indexes it without opening it, and a session's commit cannot lose it.
/// </summary>
internal sealed class MaildirDelivery(string hostName, TimeProvider time)
{
    private const int BufferSize = 64 * 1024;

    public async ValueTask<DeliveryResult> DeliverAsync(
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
        var unique = MaildirUniqueName.Create(time.GetUtcNow(), hostName);
        var temporary = Path.Combine(folder.Tmp, unique);
        try
        {
            var (stored, wire) = await WriteAsync(temporary, message, user, byteRoom, cancellationToken);
            var baseName = string.Create(CultureInfo.InvariantCulture, $"{unique},S={stored},W={wire}");
            Durably(() =>
            {
                File.Move(temporary, Path.Combine(folder.New, baseName), overwrite: false);
                DirectorySync.Sync(folder.New);
            });
            return new DeliveryResult(baseName, MaildirUidl.FromBaseName(baseName), wire);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Copies the message into the temporary file, counting its file and wire sizes, and fsyncs it.</summary>
    private static async ValueTask<(long Stored, long Wire)> WriteAsync(
        string path,
        Stream message,
        string user,
        long byteRoom,
        CancellationToken cancellationToken)
    {
        var encoder = new MessageEncoder(dotStuff: false);
        var wire = new CountingBufferWriter();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            // 0600, and O_EXCL: a name planted in tmp/ (a symlink included) fails the delivery instead of being written through.
            await using var file = Durably(() => new FileStream(path, Files.PrivateFiles.CreateNew()));
            long stored = 0;
            int read;

            // Errors reading the source (a client gone mid-DATA) surface as they are; only our own writes become
            // StorageException, so the caller can tell a broken sender from a broken disk.
            while ((read = await message.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                stored += read;
                if (stored > byteRoom)
                {
                    throw new QuotaExceededException(user, "bytes");
                }

                encoder.Encode(buffer.AsSpan(0, read), wire);
                await DurablyAsync(() => file.WriteAsync(buffer.AsMemory(0, read), cancellationToken));
            }

            encoder.Complete(wire);
            Durably(() => file.Flush(flushToDisk: true));
            return (stored, wire.Count);
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

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Left in tmp/: the next login removes it once stale, and nothing reads tmp/.
        }
    }
}
