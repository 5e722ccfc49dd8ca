using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Postino.Storage;
using Postino.Storage.Maildir;
using Postino.Storage.Postgres;
using Postino.Storage.Retention;
using Postino.Storage.Users;

namespace Postino.Cli.Configuration;

/// <summary>
/// What every command that touches mail needs, made once from the configuration: the data folder, the users (the
/// users file, or the database), the mail store (Maildir or PostgreSQL, see <see cref="StoreSettings"/>, with quotas
/// and retention) and the retention resolver. <c>serve</c>, <c>deliver</c>, <c>expire</c> and <c>user</c> all open
/// the same site, so they agree on where mail and users live.
/// </summary>
internal sealed class PostinoSite : IAsyncDisposable
{
    private PostinoSite(
        IConfiguration configuration,
        DataFolder data,
        IUserStore users,
        IMailStore store,
        RetentionResolver retention,
        bool isEmbeddedDefault,
        PostgresDatabase? database)
    {
        Configuration = configuration;
        Data = data;
        Users = users;
        Store = store;
        Retention = retention;
        IsEmbeddedDefault = isEmbeddedDefault;
        Database = database;
    }

    public IConfiguration Configuration { get; }

    public DataFolder Data { get; }

    public IUserStore Users { get; }

    public IMailStore Store { get; }

    public RetentionResolver Retention { get; }

    /// <summary>The PostgreSQL database when the store is one (null for Maildir).</summary>
    public PostgresDatabase? Database { get; }

    /// <summary>Every user, for the periodic retention sweep.</summary>
    public IUserLister UserLister => Users switch
    {
        UsersFile file => new UsersFileUserLister(file),
        IUserLister lister => lister,
        _ => throw new InvalidOperationException("the users cannot be listed"),
    };

    /// <summary>Who sweeps when several nodes share the store (null: this process alone).</summary>
    public ISweepLeadership? SweepLeadership => Database is null ? null : new PostgresSweepLeadership(Database);

    /// <summary>True when no config file was given: loopback listeners on unprivileged ports, a demo user.</summary>
    public bool IsEmbeddedDefault { get; }

    public string HostName => ServerHostName.Of(Configuration);

    /// <param name="migrate">create or upgrade a PostgreSQL schema first (serve, user, store migrate).</param>
    public static async Task<PostinoSite> OpenAsync(
        FileInfo? configFile,
        string? dataDirFlag,
        IReadOnlyDictionary<string, string?> overrides,
        ILoggerFactory loggers,
        TimeProvider time,
        CancellationToken cancellationToken,
        bool migrate = false)
    {
        var configuration = ConfigurationLoader.Load(configFile, overrides);
        var data = DataFolder.Resolve(dataDirFlag, configFile, configuration);
        Storage.Files.PrivateFiles.CreateFolder(data.Path);
        var storeSettings = StoreSettings.Read(configuration, data);
        PostgresDatabase? database = null;
        IUserStore users;
        if (storeSettings.Postgres is { } postgres)
        {
            database = PostgresDatabase.Open(postgres, loggers);
            if (migrate)
            {
                await database.MigrateAsync(cancellationToken);
            }

            users = new PostgresUserDirectory(database);
        }
        else
        {
            users = await data.OpenUsersFileAsync(configuration, cancellationToken);
        }

        var mail = ConfigurationLoader.Bind(configuration, "Mail", new MailSettings());
        var retentionOptions = RetentionSettings.Read(configuration);
        var retention = new RetentionResolver(retentionOptions, users, loggers.CreateLogger<RetentionResolver>());
        var quotas = new UserDirectoryQuotaSource(users, new MailboxQuota(mail.QuotaBytes, mail.QuotaMessages));
        IMailStore store = database is not null
            ? new PostgresMailStore(database, quotas, retention, time, loggers.CreateLogger<PostgresMailStore>())
            : new MaildirStore(
                new MaildirStoreOptions
                {
                    DataDirectory = data.Path,
                    LocationTemplate = mail.Location ?? StoreLocation.MaildirTemplate(storeSettings.MaildirRoot!, data),
                    HostName = ServerHostName.Of(configuration),
                },
                users,
                quotas,
                retention,
                time,
                loggers.CreateLogger<MaildirStore>());
        return new PostinoSite(configuration, data, users, store, retention, configFile is null, database);
    }

    public async ValueTask DisposeAsync()
    {
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }
}
