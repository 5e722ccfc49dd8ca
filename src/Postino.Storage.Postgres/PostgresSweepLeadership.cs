using Npgsql;
using Postino.Storage.Retention;

namespace Postino.Storage.Postgres;

/// <summary>
/// The retention sweep's leader: whoever holds a session advisory lock on a dedicated connection. The lock goes with
/// the connection, so a node that dies mid-sweep hands the lead over at once.
/// </summary>
public sealed class PostgresSweepLeadership(PostgresDatabase database) : ISweepLeadership
{
    /// <summary>"sweep" in ASCII.</summary>
    private const long SweepLock = 0x7377656570;

    public async Task<IAsyncDisposable?> TryLeadAsync(CancellationToken cancellationToken)
    {
        var connection = await Db.RunAsync(async () => await database.Dedicated.OpenConnectionAsync(cancellationToken));
        try
        {
            await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({SweepLock})", connection);
            if (await Db.RunAsync(() => command.ExecuteScalarAsync(cancellationToken)) is true)
            {
                return connection;
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }
}
