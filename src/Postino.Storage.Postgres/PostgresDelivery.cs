using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using Postino.Protocols.Text;

namespace Postino.Storage.Postgres;

/// <summary>
/// Stores one message for one or several recipients in one transaction. The usage rows of the recipients' folders
/// are locked first, in name order (so deliveries to one mailbox queue, quotas hold across nodes, and two
/// multi-recipient deliveries cannot deadlock); one message row per recipient is inserted (every row carries its
/// user, the distribution column); the input is read once and each wire-form chunk is written for every recipient;
/// then the quotas are checked with the exact size, a refused recipient's rows are deleted again, and the usage of
/// the others is updated. Nothing is visible, and nothing acknowledged, before COMMIT returns; a failure or a crash
/// at any point leaves no trace of the message for any recipient.
/// </summary>
internal static class PostgresDelivery
{
    private const int ReadSize = 64 * 1024;

    /// <summary>A new UIDL: arrival seconds, then 96 random bits (unique without coordination between nodes).</summary>
    public static string NewUidl(DateTimeOffset now) => string.Create(
        CultureInfo.InvariantCulture,
        $"{now.ToUnixTimeSeconds()}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}");

    /// <summary>
    /// Stores the copies; each comes back with its message id and size, or with the quota refusal that kept it out.
    /// Any other failure throws (a <see cref="StorageException"/> for the database) and stores nothing at all.
    /// </summary>
    public static async Task<IReadOnlyList<StoredCopy>> StoreAsync(
        PostgresMailStore store,
        IReadOnlyList<StoredCopy> copies,
        Stream message,
        CancellationToken cancellationToken)
    {
        NpgsqlConnection connection;
        try
        {
            connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception exception) when (Db.IsDatabaseFailure(exception))
        {
            throw new StorageException($"the mail database failed: {exception.Message}", exception);
        }

        await using (connection)
        {
            try
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var usage = await LockUsageAsync(connection, copies, cancellationToken);
                foreach (var copy in copies)
                {
                    var (messages, bytes) = usage[copy.Key];
                    copy.ByteRoom = copy.Quota.MaxBytes is { } maxBytes ? maxBytes - bytes : long.MaxValue;
                    copy.Refusal = copy.Quota.MaxMessages is { } maxMessages && messages + 1 > maxMessages
                        ? new QuotaExceededException(copy.Header.User, "messages")
                        : null;
                    if (copy.Refusal is null)
                    {
                        copy.MessageId = await InsertMessageAsync(connection, copy.Header, cancellationToken);
                    }
                }

                var size = await WriteChunksAsync(connection, copies, message, cancellationToken);
                if (await FinishAsync(connection, copies, usage, size, cancellationToken))
                {
                    await transaction.CommitAsync(cancellationToken);
                }

                return copies;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                throw new StorageException($"cannot store the message: {exception.Message}", exception);
            }
        }
    }

    /// <summary>Creates the missing folder rows and locks them all, in one order for every delivery: their usage.</summary>
    private static async Task<Dictionary<(string User, string Folder), (long Messages, long Bytes)>> LockUsageAsync(
        NpgsqlConnection connection, IReadOnlyList<StoredCopy> copies, CancellationToken cancellationToken)
    {
        var usage = new Dictionary<(string User, string Folder), (long Messages, long Bytes)>();
        var keys = copies.Select(c => c.Key).Distinct()
            .OrderBy(k => k.User, StringComparer.Ordinal).ThenBy(k => k.Folder, StringComparer.Ordinal);
        foreach (var (user, folder) in keys)
        {
            await using (var create = new NpgsqlCommand(
                "INSERT INTO postino_folders (user_name, folder) VALUES ($1, $2) ON CONFLICT DO NOTHING", connection))
            {
                create.Parameters.Add(new NpgsqlParameter { Value = user });
                create.Parameters.Add(new NpgsqlParameter { Value = folder });
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var lockRow = new NpgsqlCommand(
                "SELECT messages, bytes FROM postino_folders WHERE user_name = $1 AND folder = $2 FOR UPDATE", connection);
            lockRow.Parameters.Add(new NpgsqlParameter { Value = user });
            lockRow.Parameters.Add(new NpgsqlParameter { Value = folder });
            await using var reader = await lockRow.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            usage[(user, folder)] = (reader.GetInt64(0), reader.GetInt64(1));
        }

        return usage;
    }

    private static async Task<long> InsertMessageAsync(
        NpgsqlConnection connection, StoredMessageHeader header, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(
            "INSERT INTO postino_messages (user_name, folder, uidl, size, received_at, first_retrieved_at) "
            + "VALUES ($1, $2, $3, 0, $4, $5) RETURNING message_id",
            connection);
        insert.Parameters.Add(new NpgsqlParameter { Value = header.User });
        insert.Parameters.Add(new NpgsqlParameter { Value = header.Folder });
        insert.Parameters.Add(new NpgsqlParameter { Value = header.Uidl });
        insert.Parameters.Add(new NpgsqlParameter { Value = header.ReceivedAt.ToUniversalTime() });
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = header.FirstRetrievedAt?.ToUniversalTime() });
        return (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Encodes the input to its wire form and writes it in chunks of <see cref="PostgresMailStore.ChunkSize"/> for
    /// every copy still accepted (a copy that outgrows its byte room stops there); the wire size.
    /// </summary>
    private static async Task<long> WriteChunksAsync(
        NpgsqlConnection connection, IReadOnlyList<StoredCopy> copies, Stream message, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(
            "INSERT INTO postino_chunks (user_name, message_id, seq, data) VALUES ($1, $2, $3, $4)", connection);
        var userParameter = new NpgsqlParameter<string>();
        var idParameter = new NpgsqlParameter<long>();
        var seqParameter = new NpgsqlParameter<int>();
        var dataParameter = new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea };
        insert.Parameters.Add(userParameter);
        insert.Parameters.Add(idParameter);
        insert.Parameters.Add(seqParameter);
        insert.Parameters.Add(dataParameter);
        await insert.PrepareAsync(cancellationToken);

        var encoder = new MessageEncoder(dotStuff: false);
        var wire = new ArrayBufferWriter<byte>(PostgresMailStore.ChunkSize * 3);
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        long size = 0;
        var seq = 0;
        try
        {
            int read;

            // Errors reading the source (a client gone mid-DATA) surface as they are and roll the transaction back.
            while ((read = await message.ReadAsync(buffer.AsMemory(0, ReadSize), cancellationToken)) > 0)
            {
                encoder.Encode(buffer.AsSpan(0, read), wire);
                RefuseOutgrown(size + wire.WrittenCount);
                if (copies.All(c => c.Refusal is not null))
                {
                    // Every recipient is refused: the rest of the input would be written nowhere.
                    return size;
                }

                while (wire.WrittenCount >= PostgresMailStore.ChunkSize)
                {
                    await WriteAsync(wire.WrittenMemory[..PostgresMailStore.ChunkSize]);
                    var rest = wire.WrittenMemory[PostgresMailStore.ChunkSize..].ToArray();
                    wire.ResetWrittenCount();
                    wire.Write(rest);
                }
            }

            encoder.Complete(wire);
            RefuseOutgrown(size + wire.WrittenCount);
            if (wire.WrittenCount > 0)
            {
                await WriteAsync(wire.WrittenMemory);
            }

            return size;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        void RefuseOutgrown(long sizeSoFar)
        {
            foreach (var copy in copies.Where(c => c.Refusal is null && sizeSoFar > c.ByteRoom))
            {
                copy.Refusal = new QuotaExceededException(copy.Header.User, "bytes");
            }
        }

        async Task WriteAsync(ReadOnlyMemory<byte> chunk)
        {
            seqParameter.TypedValue = seq++;
            dataParameter.TypedValue = chunk;
            foreach (var copy in copies.Where(c => c.Refusal is null))
            {
                userParameter.TypedValue = copy.Header.User;
                idParameter.TypedValue = copy.MessageId;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            size += chunk.Length;
        }
    }

    /// <summary>
    /// Checks every copy against its folder's quota with the exact size (several copies for one folder count one after
    /// the other), removes the refused copies' rows, and sizes the others and adds them to their folders' usage.
    /// False when no copy is left (nothing to commit).
    /// </summary>
    private static async Task<bool> FinishAsync(
        NpgsqlConnection connection,
        IReadOnlyList<StoredCopy> copies,
        Dictionary<(string User, string Folder), (long Messages, long Bytes)> usage,
        long size,
        CancellationToken cancellationToken)
    {
        foreach (var copy in copies.Where(c => c.Refusal is null))
        {
            var (messages, bytes) = usage[copy.Key];
            copy.Refusal = copy.Quota.MaxMessages is { } maxMessages && messages + 1 > maxMessages
                ? new QuotaExceededException(copy.Header.User, "messages")
                : copy.Quota.MaxBytes is { } maxBytes && bytes + size > maxBytes
                    ? new QuotaExceededException(copy.Header.User, "bytes")
                    : null;
            if (copy.Refusal is null)
            {
                usage[copy.Key] = (messages + 1, bytes + size);
                copy.Size = size;
            }
        }

        foreach (var copy in copies.Where(c => c.Refusal is not null && c.MessageId != 0))
        {
            await using var delete = new NpgsqlCommand("DELETE FROM postino_messages WHERE user_name = $1 AND message_id = $2", connection);
            delete.Parameters.Add(new NpgsqlParameter { Value = copy.Header.User });
            delete.Parameters.Add(new NpgsqlParameter { Value = copy.MessageId });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        var accepted = copies.Where(c => c.Refusal is null).ToList();
        foreach (var copy in accepted)
        {
            await using var sized = new NpgsqlCommand("UPDATE postino_messages SET size = $3 WHERE user_name = $1 AND message_id = $2", connection);
            sized.Parameters.Add(new NpgsqlParameter { Value = copy.Header.User });
            sized.Parameters.Add(new NpgsqlParameter { Value = copy.MessageId });
            sized.Parameters.Add(new NpgsqlParameter { Value = size });
            await sized.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var folder in accepted.GroupBy(c => c.Key))
        {
            await using var add = new NpgsqlCommand(
                "UPDATE postino_folders SET messages = messages + $3, bytes = bytes + $4 WHERE user_name = $1 AND folder = $2", connection);
            add.Parameters.Add(new NpgsqlParameter { Value = folder.Key.User });
            add.Parameters.Add(new NpgsqlParameter { Value = folder.Key.Folder });
            add.Parameters.Add(new NpgsqlParameter { Value = (long)folder.Count() });
            add.Parameters.Add(new NpgsqlParameter { Value = size * folder.Count() });
            await add.ExecuteNonQueryAsync(cancellationToken);
        }

        return accepted.Count > 0;
    }
}

/// <summary>One recipient's copy of a delivery: what to store, under which quota, and what became of it.</summary>
internal sealed class StoredCopy(StoredMessageHeader header, MailboxQuota quota)
{
    public StoredMessageHeader Header { get; } = header;

    public MailboxQuota Quota { get; } = quota;

    public (string User, string Folder) Key => (Header.User, Header.Folder);

    /// <summary>The message row's id once inserted (0 before).</summary>
    public long MessageId { get; set; }

    /// <summary>Octets the folder could still take when it was locked.</summary>
    public long ByteRoom { get; set; }

    /// <summary>Why this copy is not stored (a quota), or null.</summary>
    public QuotaExceededException? Refusal { get; set; }

    public long Size { get; set; }
}
