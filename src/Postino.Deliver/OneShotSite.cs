using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
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
/// What <c>postino deliver</c>'s site (PostinoSite) opens for a Maildir store, without the generic host, the DI
/// container or reflection binding: the same keys from the same sources (<c>POSTINO__Section__Key</c> environment
/// variables, then <c>--store</c>), the users file, quotas, retention and the spool folder. A PostgreSQL store is
/// handed to the full CLI (<see cref="FullCli"/>), whose Npgsql data source is not trimming-safe.
/// </summary>
internal static class OneShotSite
{
    public static ValueTask<(IMailStore Store, IUserDirectory Users, string SpoolFolder, DeliveryOptions Delivery)> OpenAsync(string dataDir, string? store, CancellationToken cancellationToken) =>
        OpenAsync(dataDir, store, FullCli.ExecDeliver, cancellationToken);

    /// <param name="postgres">called for a PostgreSQL store; it does not return (it replaces the process), or throws.</param>
    public static async ValueTask<(IMailStore Store, IUserDirectory Users, string SpoolFolder, DeliveryOptions Delivery)> OpenAsync(
        string dataDir, string? store, Action postgres, CancellationToken cancellationToken)
    {
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddEnvironmentVariables(EnvironmentPrefix)
                .AddInMemoryCollection(store is null ? [] : [new(StoreLocation.Key, store)])
                .Build();
            var data = DataFolder.Resolve(dataDir, null, configuration);
            PrivateFiles.CreateFolder(data.Path);
            var maildirRoot = MaildirRoot(configuration, data, postgres);
            IUserStore users;
            try
            {
                users = await UsersFile.OpenAsync(data.UsersFile(configuration), cancellationToken: cancellationToken);
            }
            catch (UsersFileException exception)
            {
                throw new ConfigurationProblem($"Users:File: {exception.Message}");
            }

            var mail = StrictSections.Mail(configuration);
            var retention = new RetentionResolver(RetentionSettings.Read(configuration), users, NullLogger<RetentionResolver>.Instance);
            var quotas = new UserDirectoryQuotaSource(users, new MailboxQuota(mail.QuotaBytes, mail.QuotaMessages));
            var mailStore = new MaildirStore(
                new MaildirStoreOptions
                {
                    DataDirectory = data.Path,
                    LocationTemplate = mail.Location ?? (maildirRoot == data.MailRoot ? null : Path.Combine(maildirRoot, "%u", "Maildir")),
                    HostName = configuration["Server:HostName"] is { Length: > 0 } name ? name : LocalHostName.Default,
                },
                users,
                quotas,
                retention,
                TimeProvider.System,
                NullLogger<MaildirStore>.Instance);
            return (mailStore, users, data.SpoolFolder, StrictSections.Delivery(configuration));
        }
        catch (Exception ex) when (ex is ConfigurationProblem or IOException or UnauthorizedAccessException)
        {
            // As the full CLI: an unreadable users file is an operator's error being fixed, the MTA keeps the mail queued.
            throw new StorageException($"cannot open the mail store of {dataDir}: {ex.Message}", ex);
        }
    }

    private const string EnvironmentPrefix = "POSTINO__";

    /// <summary>The Maildir root <c>Store</c> names; a PostgreSQL store goes to <paramref name="postgres"/>.</summary>
    private static string MaildirRoot(IConfiguration configuration, DataFolder data, Action postgres)
    {
        if (StoreLocation.MaildirRoot(configuration, data, out _) is { } root)
        {
            return root;
        }

        postgres();
        throw new ConfigurationProblem("Store: a PostgreSQL store needs the full postino command");
    }
}
