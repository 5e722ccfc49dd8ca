using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Postino.Storage.Postgres;

/// <summary>
/// Cross-node mailbox locks: one dedicated connection per node carries a session-level advisory lock per open mailbox,
/// so idle POP sessions hold no pooled connection, and when the node dies its connection closes and PostgreSQL drops
/// every lock it held. The connection asks the server to probe the client (TCP keepalive and <c>tcp_user_timeout</c>)
/// so that a node lost without a FIN (power, network) is noticed within about 10 s too. Advisory locks are re-entrant
/// within one database session, so the node also keeps the set of keys it holds and refuses a second local holder.
/// If the lock connection breaks, every lock it carried is void: <see cref="IsHeld"/> turns false and commits refuse.
/// </summary>
internal sealed class MailboxLocks(NpgsqlDataSource dedicated, ILogger logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<long> _held = [];
    private NpgsqlConnection? _connection;
    private int _generation;
    private int _backendPid;

    /// <summary>The server process id of the lock connection (commits check their lock there).</summary>
    public int BackendPid => Volatile.Read(ref _backendPid);

    /// <summary>The 64-bit advisory key of a folder: the first 8 octets of SHA-256 of "user NUL folder".</summary>
    public static long KeyOf(string user, string folder)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(user + "\0" + folder), digest);
        return BinaryPrimitives.ReadInt64BigEndian(digest);
    }

    /// <summary>Takes the lock of <paramref name="key"/> for this node; null when another session anywhere holds it.</summary>
    public async Task<Lease?> TryAcquireAsync(long key, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_held.Contains(key))
            {
                return null;
            }

            bool acquired;
            for (var attempt = 1; ; attempt++)
            {
                var connection = await ConnectedAsync(cancellationToken);
                try
                {
                    await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
                    command.Parameters.Add(new NpgsqlParameter { Value = key });
                    acquired = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
                    break;
                }
                catch (Exception exception) when (exception is NpgsqlException or IOException or ObjectDisposedException)
                {
                    // A connection that broke while idle (database restarted) is only found out now: one new try.
                    await DropConnectionAsync(exception);
                    if (attempt == 2)
                    {
                        throw new StorageException("the mailbox lock connection failed", exception);
                    }
                }
            }

            if (!acquired)
            {
                return null;
            }

            _held.Add(key);
            return new Lease(this, key, _generation);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>True while the lease's lock is still carried by the same connection that took it.</summary>
    public bool IsHeld(Lease lease) => lease.Generation == Volatile.Read(ref _generation) && _connection is not null;

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _held.Clear();
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
                _connection = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ReleaseAsync(Lease lease)
    {
        await _gate.WaitAsync();
        try
        {
            if (lease.Generation != _generation || !_held.Remove(lease.Key) || _connection is null)
            {
                return;
            }

            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", _connection);
                command.Parameters.Add(new NpgsqlParameter { Value = lease.Key });
                await command.ExecuteScalarAsync();
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException or ObjectDisposedException)
            {
                await DropConnectionAsync(exception);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<NpgsqlConnection> ConnectedAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: System.Data.ConnectionState.Open } open)
        {
            return open;
        }

        if (_connection is not null)
        {
            await DropConnectionAsync(null);
        }

        try
        {
            var connection = await dedicated.OpenConnectionAsync(cancellationToken);

            // The server probes this client: a node that vanishes without closing its socket is detected within
            // idle 5 s + 3 probes 2 s apart (Unix sockets need none of this: their close is seen at once).
            await using (var command = new NpgsqlCommand(
                "SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3; SET tcp_user_timeout = 10000; SELECT pg_backend_pid()",
                connection))
            {
                Volatile.Write(ref _backendPid, (int)(await command.ExecuteScalarAsync(cancellationToken))!);
            }

            _connection = connection;
            return connection;
        }
        catch (Exception exception) when (exception is NpgsqlException or IOException or TimeoutException)
        {
            throw new StorageException("cannot open the mailbox lock connection", exception);
        }
    }

    private async Task DropConnectionAsync(Exception? exception)
    {
        if (_held.Count > 0)
        {
            logger.LogError(exception, "The mailbox lock connection broke: the {Count} open session(s) on this node can no longer commit", _held.Count);
        }

        _held.Clear();
        Interlocked.Increment(ref _generation);
        var connection = _connection;
        _connection = null;
        if (connection is not null)
        {
            try
            {
                await connection.DisposeAsync();
            }
            catch (Exception closing) when (closing is NpgsqlException or IOException)
            {
                // Already broken.
            }
        }
    }

    /// <summary>One held mailbox lock; disposing it releases the lock.</summary>
    public sealed class Lease(MailboxLocks owner, long key, int generation) : IAsyncDisposable
    {
        private int _released;

        public long Key { get; } = key;

        public int Generation { get; } = generation;

        public bool IsHeld => Volatile.Read(ref _released) == 0 && owner.IsHeld(this);

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                await owner.ReleaseAsync(this);
            }
        }
    }
}
