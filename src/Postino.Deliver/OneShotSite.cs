using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Postino.Cli.Commands;
using Postino.Cli.Configuration;
using Postino.Server.Delivery;
using Postino.Storage;
using Postino.Storage.Files;
using Postino.Storage.Maildir;
using Postino.Storage.Postgres;
using Postino.Storage.Retention;
using Postino.Storage.Users;

namespace Postino.Deliver;

/// <summary>
/// What the .NET program's site (PostinoSite) opens for <c>deliver</c> and <c>expire</c>, without the generic host,
/// the DI container or reflection binding: the same keys from the same sources, the users (the users file, or the
/// database), quotas, retention and the store. A PostgreSQL store is the server's own PostgresMailStore and
/// PostgresUserDirectory, on Npgsql's trimming-safe slim data source (<see cref="PostgresDatabase.OpenSlim"/>); no
/// schema migration, as in the .NET program.
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
                .AddInMemoryCollection(store is null ? [] : [new(StoreSettings.Key, store)])
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

    /// <summary><c>expire</c>'s services, as the .NET program's CommandCatalog: the configuration file, the environment, the flags.</summary>
    public static async Task<ExpireCommand.Services> OpenExpireAsync(ExpireCommand.Inputs inputs, CancellationToken cancellationToken)
    {
        var configuration = ConfigurationLoader.Load(inputs.ConfigFile, new Dictionary<string, string?> { [StoreSettings.Key] = inputs.Store });
        var site = await OpenAsync(configuration, DataFolder.Resolve(inputs.DataDirectory, inputs.ConfigFile, configuration), cancellationToken);
        return new ExpireCommand.Services(new RetentionSweeper(site.Store, site.Retention, TimeProvider.System), site.UserLister);
    }

    private static async Task<OneShotSite> OpenAsync(IConfiguration configuration, DataFolder data, CancellationToken cancellationToken)
    {
        PrivateFiles.CreateFolder(data.Path);
        var storeSettings = StoreSettings.Read(configuration, data);
        var database = storeSettings.Postgres is { } postgres ? PostgresDatabase.OpenSlim(postgres) : null;
        IUserStore users;
        if (database is not null)
        {
            users = new PostgresUserDirectory(database);
        }
        else
        {
            try
            {
                users = await UsersFile.OpenAsync(data.UsersFile(configuration), cancellationToken: cancellationToken);
            }
            catch (UsersFileException exception)
            {
                throw new ConfigurationProblem($"Users:File: {exception.Message}");
            }
        }

        var mail = StrictSections.Mail(configuration);
        var retention = new RetentionResolver(RetentionSettings.Read(configuration), users, NullLogger<RetentionResolver>.Instance);
        var quotas = new UserDirectoryQuotaSource(users, new MailboxQuota(mail.QuotaBytes, mail.QuotaMessages));
        IMailStore store = database is not null
            ? new PostgresMailStore(database, quotas, retention, TimeProvider.System, NullLogger<PostgresMailStore>.Instance)
            : new MaildirStore(
                new MaildirStoreOptions
                {
                    DataDirectory = data.Path,
                    LocationTemplate = mail.Location ?? (storeSettings.MaildirRoot == data.MailRoot ? null : Path.Combine(storeSettings.MaildirRoot!, "%u", "Maildir")),
                    HostName = configuration["Server:HostName"] is { Length: > 0 } name ? name : LocalHostName.Default,
                },
                users,
                quotas,
                retention,
                TimeProvider.System,
                NullLogger<MaildirStore>.Instance);
        return new OneShotSite(data, users, store, retention);
    }
}
