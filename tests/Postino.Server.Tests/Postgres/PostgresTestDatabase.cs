using Postino.Storage.Postgres;
using Postino.Storage.Postgres.Tests.Support;

namespace Postino.Server.Tests.Postgres;

/// <summary>
/// One database of the test run's private PostgreSQL cluster for a test class (xunit runs a class's cases one after
/// another), emptied before each case.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncLifetime
{
    private PostgresDatabase? _database;

    public PostgresDatabase Database => _database ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync()
    {
        var cluster = await PostgresCluster.GetAsync();
        _database = PostgresDatabase.Open(cluster.Settings(await cluster.CreateDatabaseAsync()));
    }

    /// <summary>Removes every user, folder and message.</summary>
    public async Task ResetAsync()
    {
        await using var command = Database.Pool.CreateCommand(
            "DELETE FROM postino_chunks; DELETE FROM postino_messages; DELETE FROM postino_folders; DELETE FROM postino_users");
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
