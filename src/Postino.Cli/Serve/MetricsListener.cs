using Microsoft.Extensions.Logging;
using Postino.Cli.Configuration;
using Postino.Server.Hosting;
using Postino.Server.Metrics;

namespace Postino.Cli.Serve;

/// <summary>
/// The <c>Metrics</c> section: <c>Listen</c> (<c>--metrics</c>), off unless set, 127.0.0.1:9110 in the embedded default.
/// Builds the HTTP listener for <c>/metrics</c> and <c>/healthz</c> beside the mail listeners.
/// </summary>
internal static class MetricsListener
{
    public const string EmbeddedDefault = "127.0.0.1:9110";

    private static PrometheusExporter? _exporter;

    /// <summary>The metrics server, or null when off. <paramref name="isImplicit"/>: only the embedded default asked for it.</summary>
    public static MetricsHttpServer? Build(PostinoSite site, PostinoServer server, Action<ILoggingBuilder> logging, out bool isImplicit)
    {
        ConfigurationLoader.Bind(site.Configuration, "Metrics", new MetricsSettings());
        var configured = site.Configuration["Metrics:Listen"];
        isImplicit = configured is not { Length: > 0 };
        var address = isImplicit ? (site.IsEmbeddedDefault ? EmbeddedDefault : ListenAddress.None) : configured!;
        if (!ListenAddress.TryParse(address, out var endPoint, out var error))
        {
            throw new ConfigurationProblem($"Metrics:Listen: {error}");
        }

        if (endPoint is null)
        {
            return null;
        }

        _exporter ??= new PrometheusExporter(PostinoMetrics.Instance);
        return new MetricsHttpServer(endPoint, _exporter, cancellationToken => HealthAsync(site, server, cancellationToken), logging);
    }

    /// <summary>Null when healthy: every listener bound and accepting, the data folder and users file readable.</summary>
    private static async ValueTask<string?> HealthAsync(PostinoSite site, PostinoServer server, CancellationToken cancellationToken)
    {
        if (server.Stopping.IsCancellationRequested)
        {
            return "stopping: no new connections";
        }

        var unbound = server.Listeners.Where(l => l.BoundEndPoint is null).Select(l => l.Name).ToList();
        if (unbound.Count > 0)
        {
            return $"not listening: {string.Join(", ", unbound)}";
        }

        try
        {
            _ = Directory.EnumerateFileSystemEntries(site.Data.Path).Any();
            _ = await site.Users.FindAsync("postino-health-probe", cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or Storage.StorageException or Storage.Users.UsersFileException)
        {
            return $"store: {exception.Message}";
        }

        return null;
    }
}

/// <summary>The keys of the <c>Metrics</c> section.</summary>
internal sealed class MetricsSettings
{
    public string? Listen { get; set; }
}
