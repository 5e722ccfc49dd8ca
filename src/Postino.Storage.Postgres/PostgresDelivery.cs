using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using Postino.Protocols.Text;

namespace Postino.Storage.Postgres;

/// <summary>
/// Stores one message in one transaction: the folder's usage row is locked (so deliveries to one mailbox queue and
/// quotas hold across nodes), the message row and its wire-form chunks are written as the input streams in, and the
/// usage is updated. Nothing is visible, and nothing acknowledged, before COMMIT returns; a failure or a crash at any
/// point leaves no trace of the message.
/// </summary>
internal static class PostgresDelivery
{
    private const int ReadSize = 64 * 1024;

    /// <summary>A new UIDL: arrival seconds, then 96 random bits (unique without coordination between nodes).</summary>
    public static string NewUidl(DateTimeOffset now) => string.Create(
        CultureInfo.InvariantCulture,
        $"{now.ToUnixTimeSeconds()}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}");

    public static async Task<(long MessageId, string Uidl, long Size)> StoreAsync(
        PostgresMailStore store,
        StoredMessageHeader header,
        Stream message,
        MailboxQuota quota,
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
                var (messages, bytes) = await LockUsageAsync(connection, header, cancellationToken);
                if (quota.MaxMessages is { } maxMessages && messages + 1 > maxMessages)
                {
                    throw new QuotaExceededException(header.User, "messages");
                }

                var byteRoom = quota.MaxBytes is { } maxBytes ? maxBytes - bytes : long.MaxValue;
                var id = await InsertMessageAsync(connection, header, cancellationToken);
                var size = await WriteChunksAsync(connection, header.User, id, message, byteRoom, cancellationToken);
                await FinishAsync(connection, header, id, size, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return (id, header.Uidl, size);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                throw new StorageException($"cannot store the message: {exception.Message}", exception);
            }
        }
    }

    private static async Task<(long Messages, long Bytes)> LockUsageAsync(
        NpgsqlConnection connection, StoredMessageHeader header, CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(
            "INSERT INTO postino_folders (user_name, folder) VALUES ($1, $2) ON CONFLICT DO NOTHING", connection))
        {
            create.Parameters.Add(new NpgsqlParameter { Value = header.User });
            create.Parameters.Add(new NpgsqlParameter { Value = header.Folder });
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var usage = new NpgsqlCommand(
            "SELECT messages, bytes FROM postino_folders WHERE user_name = $1 AND folder = $2 FOR UPDATE", connection);
        usage.Parameters.Add(new NpgsqlParameter { Value = header.User });
        usage.Parameters.Add(new NpgsqlParameter { Value = header.Folder });
        await using var reader = await usage.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
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

    /// <summary>Encodes the input to its wire form and writes it in chunks of <see cref="PostgresMailStore.ChunkSize"/>; the wire size.</summary>
    private static async Task<long> WriteChunksAsync(
        NpgsqlConnection connection, string user, long id, Stream message, long byteRoom, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(
            "INSERT INTO postino_chunks (user_name, message_id, seq, data) VALUES ($1, $2, $3, $4)", connection);
        var seqParameter = new NpgsqlParameter<int>();
        var dataParameter = new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea };
        insert.Parameters.Add(new NpgsqlParameter { Value = user });
        insert.Parameters.Add(new NpgsqlParameter { Value = id });
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
                if (size + wire.WrittenCount > byteRoom)
                {
                    throw new QuotaExceededException(user, "bytes");
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
            if (size + wire.WrittenCount > byteRoom)
            {
                throw new QuotaExceededException(user, "bytes");
            }

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

        async Task WriteAsync(ReadOnlyMemory<byte> chunk)
        {
            seqParameter.TypedValue = seq++;
            dataParameter.TypedValue = chunk;
            await insert.ExecuteNonQueryAsync(cancellationToken);
            size += chunk.Length;
        }
    }

    private static async Task FinishAsync(
        NpgsqlConnection connection, StoredMessageHeader header, long id, long size, CancellationToken cancellationToken)
    {
        await using var finish = new NpgsqlCommand(
            "WITH sized AS (UPDATE postino_messages SET size = $3 WHERE user_name = $1 AND message_id = $2 RETURNING 1) "
            + "UPDATE postino_folders SET messages = messages + 1, bytes = bytes + $3 WHERE user_name = $1 AND folder = $4",
            connection);
        finish.Parameters.Add(new NpgsqlParameter { Value = header.User });
        finish.Parameters.Add(new NpgsqlParameter { Value = id });
        finish.Parameters.Add(new NpgsqlParameter { Value = size });
        finish.Parameters.Add(new NpgsqlParameter { Value = header.Folder });
        await finish.ExecuteNonQueryAsync(cancellationToken);
    }
}
