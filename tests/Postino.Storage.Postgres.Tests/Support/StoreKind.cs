using Microsoft.Extensions.Time.Testing;
using Postino.Storage.Maildir;

namespace Postino.Storage.Postgres.Tests.Support;

/// <summary>One of the stores the contract tests run on, made fresh for a test (a temporary folder, or a new database).</summary>
public abstract class StoreKind : IAsyncDisposable
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>A store over the same mail, as after a restart (or on another node), with these policies.</summary>
    public abstract Task<IMailStore> OpenStoreAsync(IMailboxQuotaSource? quotas = null, IRetentionAtCommit? retention = null);

    public abstract Task CreateFolderAsync(string user, string folder);

    public abstract ValueTask DisposeAsync();

    public static async Task<StoreKind> CreateAsync(string kind) => kind switch
    {
        "maildir" => new MaildirKind(),
        "postgres" => await PostgresKind.CreateAsync(),
        "postgres-slim" => await PostgresKind.CreateAsync(slim: true),
        _ => throw new ArgumentException(kind, nameof(kind)),
    };

    private sealed class MaildirKind : StoreKind
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("postino-contract-").FullName;

        public override Task<IMailStore> OpenStoreAsync(IMailboxQuotaSource? quotas = null, IRetentionAtCommit? retention = null) =>
            Task.FromResult<IMailStore>(new MaildirStore(
                new MaildirStoreOptions { DataDirectory = _folder, HostName = "test.example" }, null, quotas, retention, Time));

        public override async Task CreateFolderAsync(string user, string folder)
        {
            var store = new MaildirStore(new MaildirStoreOptions { DataDirectory = _folder, HostName = "test.example" });
            var root = await store.GetMaildirPathAsync(user, CancellationToken.None);
            foreach (var sub in new[] { "cur", "new", "tmp" })
            {
                Directory.CreateDirectory(Path.Combine(root, sub));
                Directory.CreateDirectory(Path.Combine(root, "." + folder, sub));
            }
        }

        public override ValueTask DisposeAsync()
        {
            Directory.Delete(_folder, recursive: true);
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>A fresh database of the test run's private cluster, and the stores opened on it (disposed with it).</summary>
public sealed class PostgresKind : StoreKind
{
    private readonly List<PostgresMailStore> _stores = [];

    private PostgresKind(PostgresCluster cluster, string databaseName, bool slim)
    {
        Cluster = cluster;
        DatabaseName = databaseName;
        Database = slim ? PostgresDatabase.OpenSlim(cluster.Settings(databaseName)) : PostgresDatabase.Open(cluster.Settings(databaseName));
    }

    public PostgresCluster Cluster { get; }

    public string DatabaseName { get; }

    public PostgresDatabase Database { get; }

    /// <param name="slim">on Npgsql's slim data source, as the NativeAOT postino-deliver opens it.</param>
    public static async Task<PostgresKind> CreateAsync(bool slim = false)
    {
        var cluster = await PostgresCluster.GetAsync();
        return new PostgresKind(cluster, await cluster.CreateDatabaseAsync(), slim);
    }

    public override Task<IMailStore> OpenStoreAsync(IMailboxQuotaSource? quotas = null, IRetentionAtCommit? retention = null) =>
        Task.FromResult<IMailStore>(OpenPostgresStore(quotas, retention));

    public PostgresMailStore OpenPostgresStore(IMailboxQuotaSource? quotas = null, IRetentionAtCommit? retention = null)
    {
        var store = new PostgresMailStore(Database, quotas, retention, Time);
        _stores.Add(store);
        return store;
    }

    public override async Task CreateFolderAsync(string user, string folder)
    {
        var store = OpenPostgresStore();
        await store.CreateFolderAsync(user, "INBOX", CancellationToken.None);
        await store.CreateFolderAsync(user, folder, CancellationToken.None);
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await Database.DisposeAsync();
    }
}
