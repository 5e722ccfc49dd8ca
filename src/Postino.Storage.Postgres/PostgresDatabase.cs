using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Postino.Storage.Postgres.Migrations;

namespace Postino.Storage.Postgres;

/// <summary>
/// One PostgreSQL database as Postino uses it: a connection pool for queries and transactions, and a source of
/// unpooled connections for what must hold a database session for long (mailbox locks, sweep leadership).
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;

    private PostgresDatabase(NpgsqlConnectionStringBuilder settings, ILoggerFactory loggers)
    {
        _loggers = loggers;
        Description = PostgresConnectionString.Describe(settings);
        var pooled = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        if (string.IsNullOrEmpty(pooled.ApplicationName))
        {
            pooled.ApplicationName = "postino";
        }

        // A POP3 session runs the same few statements (login snapshot, one chunk read per RETR) over and over: prepared
        // once per connection they skip the parse and plan. Setting Max Auto Prepare=0 in the store URL turns this off
        // (a pgbouncer in transaction mode before 1.21 needs it). The pool keeps no session state of ours, so a
        // connection given back needs no DISCARD ALL, which would also drop the prepared statements.
        if (pooled.MaxAutoPrepare == 0 && !settings.ConnectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            pooled.MaxAutoPrepare = 32;
            pooled.AutoPrepareMinUsages = 2;
        }

        pooled.NoResetOnClose = true;

        Pool = new NpgsqlDataSourceBuilder(pooled.ConnectionString).UseLoggerFactory(loggers).Build();
        var dedicated = new NpgsqlConnectionStringBuilder(pooled.ConnectionString) { Pooling = false, KeepAlive = 5 };
        Dedicated = new NpgsqlDataSourceBuilder(dedicated.ConnectionString).UseLoggerFactory(loggers).Build();
    }

    /// <summary>Where the database is (no password): for logs and banners.</summary>
    public string Description { get; }

    public NpgsqlDataSource Pool { get; }

    internal NpgsqlDataSource Dedicated { get; }

    /// <summary>Opens (lazily: no connection is made here) the database described by <paramref name="settings"/>.</summary>
    public static PostgresDatabase Open(NpgsqlConnectionStringBuilder settings, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new PostgresDatabase(settings, loggers ?? NullLoggerFactory.Instance);
    }

    /// <summary>Creates or upgrades the schema (under an advisory lock); the versions applied now.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await new SchemaMigrator(Pool, _loggers.CreateLogger<SchemaMigrator>()).MigrateAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is NpgsqlException or IOException or TimeoutException)
        {
            throw new StorageException($"cannot migrate the schema of {Description}: {exception.Message}", exception);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Pool.DisposeAsync();
        await Dedicated.DisposeAsync();
    }
}
