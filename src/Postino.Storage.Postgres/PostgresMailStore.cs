using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Postino.Storage.Retention;

namespace Postino.Storage.Postgres;

/// <summary>
/// The PostgreSQL mail store: several <c>postino serve</c> nodes share one database. Messages are kept in their wire
/// form (CRLF line ends, final CRLF) in chunks of <see cref="ChunkSize"/> octets with their size computed at delivery,
/// so a login reads one index range (no body) and RETR streams chunks as they are. Sessions lock mailboxes across nodes
/// with advisory locks on one dedicated connection per node (<see cref="MailboxLocks"/>); deliveries and commits are
/// single transactions, acknowledged only once committed.
/// </summary>
public sealed class PostgresMailStore : IMailStore, IMailboxPresence, IAsyncDisposable
{
    /// <summary>Octets per stored chunk: what a reader holds at once, per chunk.</summary>
    public const int ChunkSize = 64 * 1024;

    private readonly IMailboxQuotaSource? _quotas;
    private readonly IRetentionAtCommit? _retention;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="database">the pooled and the dedicated connections.</param>
    /// <param name="quotas">per-user quotas checked at delivery (null: unlimited).</param>
    /// <param name="retention">decides at open whether a session's commit deletes retrieved messages (null: never).</param>
    /// <param name="time">the clock for arrival and retrieval times.</param>
    /// <param name="logger">errors (lock connection lost).</param>
    public PostgresMailStore(
        PostgresDatabase database,
        IMailboxQuotaSource? quotas = null,
        IRetentionAtCommit? retention = null,
        TimeProvider? time = null,
        ILogger<PostgresMailStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        DataSource = database.Pool;
        _quotas = quotas;
        _retention = retention;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Locks = new MailboxLocks(database.Dedicated, _logger);
    }

    public NpgsqlDataSource DataSource { get; }

    internal MailboxLocks Locks { get; }

    /// <summary>How many chunk reads this store made (to prove that a login reads no body).</summary>
    internal long ChunkReads => Interlocked.Read(ref _chunkReads);

    private long _chunkReads;

    internal void CountChunkRead() => Interlocked.Increment(ref _chunkReads);

    public async ValueTask<IMaildrop> OpenAsync(string user, string? folder, CancellationToken cancellationToken)
    {
        var name = FolderName(user, folder);
        var retention = _retention is null ? null : await _retention.ResolveAsync(user, cancellationToken);
        if (name != Folders.Inbox && !await FolderExistsAsync(user, name, cancellationToken))
        {
            throw new MailboxNotFoundException(user, name);
        }

        var lease = await Locks.TryAcquireAsync(MailboxLocks.KeyOf(user, name), cancellationToken)
            ?? throw new MailboxInUseException(user);
        try
        {
            var snapshot = await LoadSnapshotAsync(user, name, cancellationToken);
            return new PostgresMaildrop(this, user, name, lease, snapshot, _time, retention);
        }
        catch
        {
            await lease.DisposeAsync();
            throw;
        }
    }

    public ValueTask<DeliveryResult> DeliverAsync(string user, Stream message, CancellationToken cancellationToken) =>
        DeliverAsync(user, Folders.Inbox, message, cancellationToken);

    /// <summary>Delivers into a named folder (POP2 folders; import).</summary>
    public async ValueTask<DeliveryResult> DeliverAsync(string user, string folder, Stream message, CancellationToken cancellationToken)
    {
        var quota = _quotas is null ? MailboxQuota.Unlimited : await _quotas.GetQuotaAsync(user, cancellationToken);
        return await StoreOneAsync(new StoredCopy(NewHeader(user, folder), quota), message, cancellationToken);
    }

    /// <summary>
    /// Every recipient's copy in one transaction, the message read once. A quota refuses its recipient only (checked
    /// with the exact size once the message is read; the refused copy's rows are deleted inside the transaction);
    /// any other failure (the database, reading the message) refuses every recipient and stores nothing.
    /// </summary>
    public async ValueTask<IReadOnlyList<RecipientDelivery>> DeliverAsync(
        IReadOnlyList<string> users, IMessageSource message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(message);
        IReadOnlyList<StoredCopy> copies;
        try
        {
            var quotas = new Dictionary<string, MailboxQuota>(StringComparer.Ordinal);
            var list = new List<StoredCopy>(users.Count);
            foreach (var user in users)
            {
                if (!quotas.TryGetValue(user, out var quota))
                {
                    quota = _quotas is null ? MailboxQuota.Unlimited : await _quotas.GetQuotaAsync(user, cancellationToken);
                    quotas[user] = quota;
                }

                list.Add(new StoredCopy(NewHeader(user, Folders.Inbox), quota));
            }

            await using var stream = await message.OpenReadAsync(cancellationToken);
            copies = await PostgresDelivery.StoreAsync(this, list, stream, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return [.. users.Select(user => new RecipientDelivery(user, null, exception))];
        }

        return [.. copies.Select(c => c.Refusal is { } refusal
            ? new RecipientDelivery(c.Header.User, null, refusal)
            : new RecipientDelivery(c.Header.User, Result(c), null))];
    }

    /// <summary>
    /// Stores a message that already has its UIDL and times (an import from another store): no quota applies. Fails
    /// with a <see cref="StorageException"/> when the folder already holds that UIDL.
    /// </summary>
    public async Task<DeliveryResult> ImportAsync(
        string user, string folder, string uidl, DateTimeOffset receivedAt, DateTimeOffset? firstRetrievedAt, Stream message, CancellationToken cancellationToken) =>
        await StoreOneAsync(
            new StoredCopy(new StoredMessageHeader(user, FolderName(user, folder), uidl, receivedAt, firstRetrievedAt), MailboxQuota.Unlimited),
            message,
            cancellationToken);

    public async ValueTask<bool> HasMailboxAsync(string user, CancellationToken cancellationToken) =>
        await FolderExistsAsync(user, Folders.Inbox, cancellationToken);

    /// <summary>Creates a folder (POP2 FOLD targets, import); true when it is new.</summary>
    public async Task<bool> CreateFolderAsync(string user, string folder, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(
            "INSERT INTO postino_folders (user_name, folder) VALUES ($1, $2) ON CONFLICT DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        command.Parameters.Add(new NpgsqlParameter { Value = FolderName(user, folder) });
        return await Db.RunAsync(() => command.ExecuteNonQueryAsync(cancellationToken)) == 1;
    }

    public ValueTask DisposeAsync() => Locks.DisposeAsync();

    private static DeliveryResult Result(StoredCopy copy) =>
        new(copy.MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture), copy.Header.Uidl, copy.Size);

    private StoredMessageHeader NewHeader(string user, string folder)
    {
        var now = _time.GetUtcNow();
        return new StoredMessageHeader(user, FolderName(user, folder), PostgresDelivery.NewUidl(now), now, null);
    }

    private async Task<DeliveryResult> StoreOneAsync(StoredCopy copy, Stream message, CancellationToken cancellationToken)
    {
        await PostgresDelivery.StoreAsync(this, [copy], message, cancellationToken);
        return copy.Refusal is { } refusal ? throw refusal : Result(copy);
    }

    internal void LogError(Exception exception, string message, string user) =>
        _logger.LogError(exception, "{Message} of {User}", message, user);

    /// <summary>'INBOX' for the inbox (any case), else the folder's own name, which must be a sane one.</summary>
    internal static string FolderName(string user, string? folder) =>
        Folders.Normalize(folder) ?? throw new MailboxNotFoundException(user, folder ?? Folders.Inbox);

    private async Task<bool> FolderExistsAsync(string user, string folder, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("SELECT 1 FROM postino_folders WHERE user_name = $1 AND folder = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        command.Parameters.Add(new NpgsqlParameter { Value = folder });
        return await Db.RunAsync(() => command.ExecuteScalarAsync(cancellationToken)) is not null;
    }

    /// <summary>The login: one index range scan of the folder's messages, no body read.</summary>
    private async Task<List<StoredMessage>> LoadSnapshotAsync(string user, string folder, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(
            "SELECT message_id, uidl, size, received_at, first_retrieved_at FROM postino_messages "
            + "WHERE user_name = $1 AND folder = $2 ORDER BY received_at, message_id");
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        command.Parameters.Add(new NpgsqlParameter { Value = folder });
        return await Db.RunAsync(async () =>
        {
            var messages = new List<StoredMessage>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                messages.Add(new StoredMessage(
                    reader.GetInt64(0),
                    new MessageInfo(
                        reader.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                        reader.GetString(1),
                        reader.GetInt64(2),
                        reader.GetFieldValue<DateTimeOffset>(3),
                        reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4))));
            }

            return messages;
        });
    }
}

/// <summary>One message of a snapshot: its row key and what the session shows.</summary>
internal sealed record StoredMessage(long MessageId, MessageInfo Info);

/// <summary>What a new message row records besides its body.</summary>
internal sealed record StoredMessageHeader(string User, string Folder, string Uidl, DateTimeOffset ReceivedAt, DateTimeOffset? FirstRetrievedAt);
