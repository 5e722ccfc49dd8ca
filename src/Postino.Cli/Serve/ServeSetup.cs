using Microsoft.Extensions.Logging;
using Postino.Cli.Configuration;
using Postino.Server.Hosting;

namespace Postino.Cli.Serve;

/// <summary>
/// What <c>serve</c> and <c>check-config</c> share: open the site and compose the server from the configuration, so
/// that both stop on the same problems with the same messages (exit 78, EX_CONFIG).
/// </summary>
internal static class ServeSetup
{
    public const int ConfigurationError = 78;

    public static async Task<(PostinoSite Site, PostinoServer Server)> BuildAsync(
        FileInfo? configFile,
        string? dataDir,
        IReadOnlyDictionary<string, string?> overrides,
        ILoggerFactory loggers,
        Action<ILoggingBuilder> logging,
        TimeProvider time,
        CancellationToken cancellationToken,
        bool migrate = false)
    {
        // Only serve migrates a PostgreSQL schema; check-config looks and changes nothing.
        var site = await PostinoSite.OpenAsync(configFile, dataDir, overrides, loggers, time, cancellationToken, migrate);
        Server.Delivery.SpoolFolderStartup.Prepare(site.Data.SpoolFolder, loggers.CreateLogger("postino.spool"));
        var server = ServerComposition.Build(site, time, loggers, logging);
        return (site, server);
    }

    /// <summary>True for an exception that is a configuration problem (reported as one line, exit 78).</summary>
    public static bool IsConfigurationProblem(Exception exception) =>
        exception is ConfigurationProblem or PostinoOptionsException or Storage.Files.UnsafeFolderException;
}
