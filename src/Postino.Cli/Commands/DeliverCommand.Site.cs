using Postino.Server.Delivery;
using Postino.Storage;
using Postino.Storage.Users;

namespace Postino.Cli.Commands;

/// <summary><c>postino deliver</c> on the full site (Maildir or PostgreSQL); the NativeAOT build opens its own (src/Postino.Deliver).</summary>
internal static partial class DeliverCommand
{
    public static System.CommandLine.Command Create() => Create(OpenDefaultBackendAsync, Console.OpenStandardInput);

    /// <summary>The same site <c>serve</c> opens: the users (file or database), the store with quotas and retention, the spool, the Delivery section.</summary>
    public static async ValueTask<(IMailStore Store, IUserDirectory Users, string SpoolFolder, DeliveryOptions Delivery)> OpenDefaultBackendAsync(string dataDir, string? store, CancellationToken cancellationToken)
    {
        try
        {
            var site = await Configuration.PostinoSite.OpenAsync(
                null, dataDir, new Dictionary<string, string?> { [Configuration.StoreSettings.Key] = store }, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System, cancellationToken);
            return (site.Store, site.Users, site.Data.SpoolFolder, Configuration.ConfigurationLoader.Bind(site.Configuration, "Delivery", new DeliveryOptions()));
        }
        catch (Exception ex) when (ex is Configuration.ConfigurationProblem or IOException or UnauthorizedAccessException)
        {
            // An unreadable users file is an operator's error being fixed: the MTA keeps the mail queued.
            throw new StorageException($"cannot open the mail store of {dataDir}: {ex.Message}", ex);
        }
    }
}
