using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postino.Cli.Configuration;
using Postino.Server.Delivery;
using Postino.Server.Hosting;
using Postino.Server.Tls;
using Postino.Storage.Files;

namespace Postino.Cli.Serve;

/// <summary>
/// Runs <c>postino serve</c>: opens the site, makes the demo user on a fresh embedded default, starts every listener,
/// prints where it listens and how to connect, then waits for SIGINT/SIGTERM (graceful stop) and SIGHUP (reload the
/// TLS certificate).
/// </summary>
internal static class ServeRunner
{
    public const int ConfigurationError = 78;

    public static async Task<int> RunAsync(
        FileInfo? configFile, string? dataDir, IReadOnlyDictionary<string, string?> overrides, TextWriter output, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        string node;
        try
        {
            node = NodeName.Resolve(ConfigurationLoader.Load(configFile, overrides));
        }
        catch (ConfigurationProblem exception)
        {
            await Console.Error.WriteLineAsync($"postino serve: configuration error: {exception.Message}");
            return ConfigurationError;
        }

        void Logging(ILoggingBuilder builder) => builder
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                // The node's name rides in the timestamp's literal part, so that every line carries it.
                o.TimestampFormat = $"yyyy-MM-ddTHH:mm:ss.fffZ '[{node}]' ";
                o.UseUtcTimestamp = true;
            });
        using var loggers = LoggerFactory.Create(Logging);
        if (DescriptorLimit.RaiseToHardLimit() is { } descriptors)
        {
            loggers.CreateLogger("postino").LogInformation(
                "open file limit (RLIMIT_NOFILE): {Before} -> {After}",
                descriptors.Before,
                descriptors.After);
        }

        PostinoSite site;
        PostinoServer server;
        string? demoPassword;
        try
        {
            site = await PostinoSite.OpenAsync(configFile, dataDir, overrides, loggers, time, cancellationToken, migrate: true);
            SpoolFolderStartup.Prepare(site.Data.SpoolFolder, loggers.CreateLogger("postino.spool"));
            demoPassword = site.IsEmbeddedDefault
                ? await FirstStart.EnsureDemoUserAsync(site.Users, site.Store, Storage.Users.Schemes.PasswordSchemeRegistry.Default, site.HostName, cancellationToken)
                : null;
            server = ServerComposition.Build(site, time, loggers, Logging);
        }
        catch (Exception exception) when (exception is ConfigurationProblem or PostinoOptionsException or UnsafeFolderException)
        {
            await Console.Error.WriteLineAsync($"postino serve: configuration error: {exception.Message}");
            return ConfigurationError;
        }
        catch (Storage.StorageException exception)
        {
            await Console.Error.WriteLineAsync($"postino serve: cannot open the store: {exception.Message}");
            return 75;
        }

        await using (server)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnStopSignal);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnStopSignal);
            using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                var providers = server.Services.GetServices<FileCertificateProvider>().Distinct().ToList();
                bool? reloaded = providers.Count == 0 ? null : providers.Select(p => p.Reload()).ToList().TrueForAll(ok => ok);
                loggers.CreateLogger("postino").LogInformation("SIGHUP: certificate reload {Result}", reloaded switch
                {
                    true => "done",
                    false => "failed, the previous certificate stays",
                    null => "skipped, TLS is off",
                });
            });

            try
            {
                await server.StartAsync(stop.Token);
            }
            catch (IOException exception)
            {
                await Console.Error.WriteLineAsync($"postino serve: cannot listen: {exception.Message}");
                return 71;
            }

            await PrintBannerAsync(output, site, server, demoPassword);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // SIGINT/SIGTERM: fall through to the graceful stop.
            }

            await output.WriteLineAsync("postino is stopping: no new connections; open sessions have the grace period to finish");
            await server.StopAsync(CancellationToken.None);
            await output.WriteLineAsync("postino stopped");
            return 0;

            void OnStopSignal(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }
        }
    }

    private static async Task PrintBannerAsync(TextWriter output, PostinoSite site, PostinoServer server, string? demoPassword)
    {
        await output.WriteLineAsync($"postino: data folder {site.Data.Path}");
        if (site.Database is { } database)
        {
            await output.WriteLineAsync($"postino: store {database.Description}");
        }

        foreach (var listener in server.Listeners)
        {
            var bound = listener.BoundEndPoint;
            var text = bound is IPEndPoint ip ? $"{(ip.Address.Equals(IPAddress.Any) ? "0.0.0.0" : ip.Address.ToString())}:{ip.Port}" : bound?.ToString();
            await output.WriteLineAsync($"  {listener.Name,-6} listening on {text}");
        }

        if (demoPassword is not null)
        {
            await output.WriteLineAsync($"postino: created user demo with password {demoPassword} (shown once; change it with `postino user passwd demo`)");
        }

        if (server.Listeners.FirstOrDefault(l => l.Name == "pop3")?.BoundEndPoint is IPEndPoint pop3)
        {
            await output.WriteLineAsync($"postino: try `curl pop3://demo:PASSWORD@{pop3.Address}:{pop3.Port}/1` or any POP3 client");
        }

        await output.WriteLineAsync("postino is ready");
        await output.FlushAsync();
    }
}
