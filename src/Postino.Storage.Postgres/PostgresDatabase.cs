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

    private PostgresDatabase(NpgsqlConnectionStringBuilder settings, ILoggerFactory loggers, Func<string, ILoggerFactory, NpgsqlDataSource> build)
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

        Pool = build(pooled.ConnectionString, loggers);
        var dedicated = new NpgsqlConnectionStringBuilder(pooled.ConnectionString) { Pooling = false, KeepAlive = 5 };
        Dedicated = build(dedicated.ConnectionString, loggers);
    }

    /// <summary>Where the database is (no password): for logs and banners.</summary>
    public string Description { get; }

    public NpgsqlDataSource Pool { get; }

    internal NpgsqlDataSource Dedicated { get; }

    /// <summary>Opens (lazily: no connection is made here) the database described by <paramref name="settings"/>.</summary>
    public static PostgresDatabase Open(NpgsqlConnectionStringBuilder settings, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new PostgresDatabase(
            settings, loggers ?? NullLoggerFactory.Instance, static (connection, loggers) => new NpgsqlDataSourceBuilder(connection).UseLoggerFactory(loggers).Build());
    }

    /// <summary>
    /// As <see cref="Open"/>, for the NativeAOT one-shot programs (postino-deliver): Npgsql's slim builder, which is
    /// trimming-safe and leaves out the type mappings the store never uses (ranges, JSON serialisation of .NET objects,
    /// geometry...). Its default set has the types the store's statements read and write (text, bigint, integer,
    /// boolean, timestamptz, bytea, jsonb as text); arrays are added (the bigint[] of a commit), and TLS (sslmode) and
    /// GSS/Kerberos authentication, so that the same store URL connects the same way as the server's.
    /// </summary>
    public static PostgresDatabase OpenSlim(NpgsqlConnectionStringBuilder settings, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new PostgresDatabase(
            settings,
            loggers ?? NullLoggerFactory.Instance,
            static (connection, loggers) => new NpgsqlSlimDataSourceBuilder(connection)
                .EnableArrays()
                .EnableTransportSecurity()
                .EnableIntegratedSecurity()
                .UseLoggerFactory(loggers)
                .Build());
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
