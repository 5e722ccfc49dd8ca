using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
#if POSTGRES_STORE
using Postino.Cli.Commands;
#endif
using Postino.Cli.Configuration;
using Postino.Server.Delivery;
using Postino.Storage;
using Postino.Storage.Files;
using Postino.Storage.Maildir;
#if POSTGRES_STORE
using Postino.Storage.Postgres;
#endif
using Postino.Storage.Retention;
using Postino.Storage.Users;

namespace Postino.Deliver;

/// <summary>
/// What the .NET program's site (PostinoSite) opens for <c>deliver</c> and <c>expire</c>, without the generic host,
/// the DI container or reflection binding: the same keys from the same sources, the users (the users file, or the
/// database), quotas, retention and the store. A PostgreSQL store is the server's own PostgresMailStore and
/// PostgresUserDirectory, on Npgsql's trimming-safe slim data source (PostgresDatabase.OpenSlim), in postino-oneshot
/// (built with POSTGRES_STORE); postino-deliver, built without, hands such a delivery to it (<see cref="OneShotExec"/>).
/// No schema migration, as in the .NET program.
/// </summary>
internal sealed class OneShotSite
{
    private OneShotSite(DataFolder data, IUserStore users, IMailStore store, RetentionResolver retention)
    {
        Data = data;
        Users = users;
        Store = store;
        Retention = retention;
    }

    public DataFolder Data { get; }

    public IUserStore Users { get; }

    public IMailStore Store { get; }

    public RetentionResolver Retention { get; }

    /// <summary>Every user, for a sweep (as PostinoSite.UserLister).</summary>
    public IUserLister UserLister => Users switch
    {
        UsersFile file => new UsersFileUserLister(file),
        IUserLister lister => lister,
        _ => throw new InvalidOperationException("the users cannot be listed"),
    };

    /// <summary>
    /// <c>deliver</c>'s site, as DeliverCommand.OpenDefaultBackendAsync: <c>POSTINO__Section__Key</c> environment
    /// variables, then <c>--store</c> (no configuration file).
    /// </summary>
    public static async ValueTask<(IMailStore Store, IUserDirectory Users, string SpoolFolder, DeliveryOptions Delivery)> OpenDeliveryAsync(
        string dataDir, string? store, CancellationToken cancellationToken)
    {
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddEnvironmentVariables(ConfigurationLoader.EnvironmentPrefix)
                .AddInMemoryCollection(store is null ? [] : [new(StoreLocation.Key, store)])
                .Build();
            var site = await OpenAsync(configuration, DataFolder.Resolve(dataDir, null, configuration), cancellationToken);
            return (site.Store, site.Users, site.Data.SpoolFolder, StrictSections.Delivery(configuration));
        }
        catch (Exception ex) when (ex is ConfigurationProblem or IOException or UnauthorizedAccessException)
        {
            // As the full CLI: an unreadable users file is an operator's error being fixed, the MTA keeps the mail queued.
            throw new StorageException($"cannot open the mail store of {dataDir}: {ex.Message}", ex);
        }
    }

#if POSTGRES_STORE
    /// <summary><c>expire</c>'s services, as the .NET program's CommandCatalog: the configuration file, the environment, the flags.</summary>
    public static async Task<ExpireCommand.Services> OpenExpireAsync(ExpireCommand.Inputs inputs, CancellationToken cancellationToken)
    {
        var configuration = ConfigurationLoader.Load(inputs.ConfigFile, new Dictionary<string, string?> { [StoreSettings.Key] = inputs.Store });
        var site = await OpenAsync(configuration, DataFolder.Resolve(inputs.DataDirectory, inputs.ConfigFile, configuration), cancellationToken);
        return new ExpireCommand.Services(new RetentionSweeper(site.Store, site.Retention, TimeProvider.System), site.UserLister);
    }
#endif

    private static async Task<OneShotSite> OpenAsync(IConfiguration configuration, DataFolder data, CancellationToken cancellationToken)
    {
        PrivateFiles.CreateFolder(data.Path);
#if POSTGRES_STORE
        var storeSettings = StoreSettings.Read(configuration, data);
        var maildirRoot = storeSettings.MaildirRoot;
        var database = storeSettings.Postgres is { } postgres ? PostgresDatabase.OpenSlim(postgres) : null;
#else
        var maildirRoot = StoreLocation.MaildirRoot(configuration, data, out _) ?? OneShotExec.Deliver();
#endif
        IUserStore users;
#if POSTGRES_STORE
        if (database is not null)
        {
            users = new PostgresUserDirectory(database);
        }
        else
#endif
        {
            users = await data.OpenUsersFileAsync(configuration, cancellationToken);
        }

        var mail = StrictSections.Mail(configuration);
        var retention = new RetentionResolver(RetentionSettings.Read(configuration), users, NullLogger<RetentionResolver>.Instance);
        var quotas = new UserDirectoryQuotaSource(users, new MailboxQuota(mail.QuotaBytes, mail.QuotaMessages));
#if POSTGRES_STORE
        if (database is not null)
        {
            return new OneShotSite(data, users, new PostgresMailStore(database, quotas, retention, TimeProvider.System, NullLogger<PostgresMailStore>.Instance), retention);
        }
#endif
        var store = new MaildirStore(
                new MaildirStoreOptions
                {
                    DataDirectory = data.Path,
                    LocationTemplate = mail.Location ?? StoreLocation.MaildirTemplate(maildirRoot!, data),
                    HostName = ServerHostName.Of(configuration),
                },
                users,
                quotas,
                retention,
                TimeProvider.System,
            NullLogger<MaildirStore>.Instance);
        return new OneShotSite(data, users, store, retention);
    }
}
