using Npgsql;
using Postino.Storage.Retention;

namespace Postino.Storage.Postgres;

/// <summary>
/// A session's snapshot of one folder, locked across nodes. Marks live in memory; <see cref="CommitAsync"/> applies
/// every deletion and retrieval time in one transaction, after checking in that transaction that this node still holds
/// the mailbox lock, so a commit is all or nothing and never races a session elsewhere.
/// </summary>
internal sealed class PostgresMaildrop : IMaildrop
{
    private readonly PostgresMailStore _store;
    private readonly string _folder;
    private readonly MailboxLocks.Lease _lease;
    private readonly List<StoredMessage> _messages;
    private readonly MessageInfo[] _infos;
    private readonly TimeProvider _time;
    private readonly MaildropMarks _marks;

    public PostgresMaildrop(
        PostgresMailStore store, string user, string folder, MailboxLocks.Lease lease, List<StoredMessage> messages, TimeProvider time, EffectiveRetention? retention)
    {
        _store = store;
        User = user;
        _folder = folder;
        _lease = lease;
        _messages = messages;
        _infos = [.. messages.Select(m => m.Info)];
        _time = time;
        Retention = retention;
        _marks = new MaildropMarks(this, messages.Count, retention);
    }

    public string User { get; }

    public EffectiveRetention? Retention { get; }

    public IReadOnlyList<MessageInfo> Messages => _infos;

    /// <summary>True when the user's retention is <c>delete-on-retrieve</c>: the commit deletes retrieved messages too.</summary>
    public bool DeleteRetrievedAtCommit => _marks.DeleteRetrievedAtCommit;

    public ValueTask<Stream> OpenMessageAsync(int index, CancellationToken cancellationToken)
    {
        _marks.CheckIndex(index);
        var message = _messages[index];
        return ValueTask.FromResult<Stream>(new ChunkStream(_store, User, message.MessageId, message.Info.Size));
    }

    public void MarkDeleted(int index) => _marks.MarkDeleted(index);

    public bool IsDeleted(int index) => _marks.IsDeleted(index);

    public void ClearDeletions() => _marks.ClearDeletions();

    public void MarkRetrieved(int index) => _marks.MarkRetrieved(index);

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        _marks.BeginCommit();
        var deleted = new List<long>();
        var retrieved = new List<long>();
        long freed = 0;
        for (var index = 0; index < _messages.Count; index++)
        {
            var change = _marks.ChangeAt(index);
            if (change == MaildropChange.Remove)
            {
                deleted.Add(_messages[index].MessageId);
                freed += _messages[index].Info.Size;
            }
            else if (change == MaildropChange.Retrieved && _messages[index].Info.FirstRetrievedAt is null)
            {
                retrieved.Add(_messages[index].MessageId);
            }
        }

        if (deleted.Count == 0 && retrieved.Count == 0)
        {
            return;
        }

        var now = DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());
        await Db.RunAsync(async () =>
        {
            await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await EnsureLockHeldAsync(connection, cancellationToken);
            await using var batch = new NpgsqlBatch(connection, transaction);
            if (deleted.Count > 0)
            {
                batch.BatchCommands.Add(Command(
                    "WITH gone AS (DELETE FROM postino_messages WHERE user_name = $1 AND folder = $2 AND message_id = ANY($3) RETURNING size) "
                    + "UPDATE postino_folders SET messages = messages - (SELECT count(*) FROM gone), bytes = bytes - (SELECT coalesce(sum(size), 0) FROM gone) "
                    + "WHERE user_name = $1 AND folder = $2",
                    User,
                    _folder,
                    deleted.ToArray()));
            }

            if (retrieved.Count > 0)
            {
                batch.BatchCommands.Add(Command(
                    "UPDATE postino_messages SET first_retrieved_at = $3 WHERE user_name = $1 AND message_id = ANY($2) AND first_retrieved_at IS NULL",
                    User,
                    retrieved.ToArray(),
                    now));
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return freed;
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_marks.TryDispose())
        {
            await _lease.DisposeAsync();
        }
    }

    /// <summary>
    /// Refuses the commit when this node lost the lock (its lock connection broke, so another node may have the mailbox
    /// now): checked in the commit's transaction against the lock connection's server process.
    /// </summary>
    private async Task EnsureLockHeldAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var key = _lease.Key;
        await using var check = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = $1 "
            + "AND classid::bigint = $2 AND objid::bigint = $3 AND objsubid = 1)",
            connection);
        check.Parameters.Add(new NpgsqlParameter { Value = _store.Locks.BackendPid });
        check.Parameters.Add(new NpgsqlParameter { Value = (long)(uint)(key >> 32) });
        check.Parameters.Add(new NpgsqlParameter { Value = (long)(uint)key });
        if (!_lease.IsHeld || !(bool)(await check.ExecuteScalarAsync(cancellationToken))!)
        {
            throw new StorageException($"the mailbox lock of {User} was lost; nothing was changed");
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
