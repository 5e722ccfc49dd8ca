using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Postino.Cli.Configuration;
using Postino.Server.Delivery;
using Postino.Server.Hosting;
using Postino.Server.Metrics;
using Postino.Server.Tls;
using Postino.Storage.Files;

namespace Postino.Cli.Serve;

/// <summary>
/// Runs <c>postino serve</c>: opens the site, makes the demo user on a fresh embedded default, starts every listener,
/// prints where it listens and how to connect, then waits for SIGINT/SIGTERM (graceful stop) and SIGHUP (reload the
/// TLS certificate). A start-up failure is one line on stderr and a distinct exit code; its trace is logged at Debug.
/// </summary>
internal static class ServeRunner
{
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
            return ServeSetup.ConfigurationError;
        }

        // The host logs a failed start with the whole exception chain before rethrowing it; the one-line message below
        // replaces it. After the start, the host's errors (a crashed background service) are shown again.
        var starting = true;
        void Logging(ILoggingBuilder builder) => builder
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning)

            // Npgsql logs every command it runs at Information: dozens of lines per POP3 session on PostgreSQL, which
            // cost more CPU than the queries and bury the session lines.
            .AddFilter("Npgsql", LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => !starting && level >= LogLevel.Warning)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                // The node's name rides in the timestamp's literal part, so that every line carries it.
                o.TimestampFormat = $"yyyy-MM-ddTHH:mm:ss.fffZ '[{node}]' ";
                o.UseUtcTimestamp = true;
            });
        using var loggers = LoggerFactory.Create(Logging);
        var log = loggers.CreateLogger("postino");
        if (Server.Hosting.OpenFileLimit.RaiseToHardLimit() is { } descriptors)
        {
            log.LogInformation(
                "open file limit (RLIMIT_NOFILE): {Before} -> {After}, room for {Connections} connections on every listener together (one descriptor each; {Reserve} kept for the runtime and the files sessions open for a moment)",
                descriptors.Before,
                descriptors.After,
                Server.Hosting.DescriptorBudget.CapacityFor(descriptors.After),
                Server.Hosting.DescriptorBudget.ReserveFor(descriptors.After));
        }

        PostinoSite site;
        PostinoServer server;
        MetricsHttpServer? metrics;
        bool metricsImplicit;
        Server.Autoconfig.AutoconfigHttpServer? autoconfig = null;
        string? demoPassword;
        try
        {
            (site, server) = await ServeSetup.BuildAsync(configFile, dataDir, overrides, loggers, Logging, time, cancellationToken, migrate: true);
            metrics = MetricsListener.Build(site, server, Logging, out metricsImplicit);
            demoPassword = site.IsEmbeddedDefault
                ? await FirstStart.EnsureDemoUserAsync(site.Users, site.Store, Storage.Users.Schemes.PasswordSchemeRegistry.Default, site.HostName, cancellationToken)
                : null;
        }
        catch (Exception exception) when (ServeSetup.IsConfigurationProblem(exception))
        {
            await Console.Error.WriteLineAsync($"postino serve: configuration error: {exception.Message}");
            return ServeSetup.ConfigurationError;
        }
        catch (Storage.StorageException exception)
        {
            await Console.Error.WriteLineAsync($"postino serve: cannot open the store: {exception.Message}");
            return 75;
        }

        await using (server)
        await using (metrics)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnStopSignal);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnStopSignal);
            using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                var providers = server.Services.GetServices<FileCertificateProvider>().Distinct().ToList();
                bool? reloaded = providers.Count == 0 ? null : providers.Select(p => p.Reload()).ToList().TrueForAll(ok => ok);
                log.LogInformation("SIGHUP: certificate reload {Result}", reloaded switch
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
                log.LogDebug(exception, "start-up failed");
                var message = ListenFailure.Describe(exception, server.Listeners.Select(l => (l.Name, l.EndPoint)));
                await Console.Error.WriteLineAsync($"postino serve: {message}");
                return ListenFailure.ExitCode;
            }

            try
            {
                // Built after the start: with port 0 the POP3 ports it offers are known only now.
                autoconfig = AutoconfigListener.Build(site, server, Logging);
                if (autoconfig is not null)
                {
                    await autoconfig.StartAsync(stop.Token);
                }
            }
            catch (Exception exception) when (ServeSetup.IsConfigurationProblem(exception))
            {
                await Console.Error.WriteLineAsync($"postino serve: configuration error: {exception.Message}");
                await server.StopAsync(CancellationToken.None);
                return ServeSetup.ConfigurationError;
            }
            catch (IOException exception)
            {
                log.LogDebug(exception, "start-up failed");
                await Console.Error.WriteLineAsync($"postino serve: {ListenFailure.Describe(exception, [("autoconfig", autoconfig!.EndPoint)])}");
                await server.StopAsync(CancellationToken.None);
                return ListenFailure.ExitCode;
            }

            var metricsRunning = metrics;
            if (metrics is not null)
            {
                try
                {
                    await metrics.StartAsync(stop.Token);
                }
                catch (IOException exception) when (metricsImplicit)
                {
                    // Only the embedded default asked for it (a demo): a busy 9110 must not stop the mail server.
                    await Console.Error.WriteLineAsync($"postino serve: warning: metrics off, {ListenFailure.Describe(exception, [("metrics", metrics.EndPoint)])}");
                    metricsRunning = null;
                }
                catch (IOException exception)
                {
                    log.LogDebug(exception, "start-up failed");
                    await Console.Error.WriteLineAsync($"postino serve: {ListenFailure.Describe(exception, [("metrics", metrics.EndPoint)])}");
                    await server.StopAsync(CancellationToken.None);
                    return ListenFailure.ExitCode;
                }
            }

            starting = false;
            await PrintBannerAsync(output, site, server, metricsRunning, autoconfig, demoPassword);

            // Type=notify: systemd counts the service as started only now that every listener accepts.
            var systemd = new SystemdNotifier();
            if (systemd.IsEnabled)
            {
                systemd.Notify(ServiceState.Ready);
            }

            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // SIGINT/SIGTERM: fall through to the graceful stop.
            }

            if (systemd.IsEnabled)
            {
                systemd.Notify(ServiceState.Stopping);
            }

            await output.WriteLineAsync("postino is stopping: no new connections; open sessions have the grace period to finish");
            await server.StopAsync(CancellationToken.None);
            if (metricsRunning is not null)
            {
                await metricsRunning.StopAsync(CancellationToken.None);
            }

            if (autoconfig is not null)
            {
                await autoconfig.StopAsync(CancellationToken.None);
                await autoconfig.DisposeAsync();
            }

            await output.WriteLineAsync("postino stopped");
            return 0;

            void OnStopSignal(PosixSignalContext context)
            {
                context.Cancel = true;
                try
                {
                    stop.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The signal thread can run this after the stop finished and the token was disposed: nothing to do.
                }
            }
        }
    }

    private static async Task PrintBannerAsync(
        TextWriter output, PostinoSite site, PostinoServer server, MetricsHttpServer? metrics, Server.Autoconfig.AutoconfigHttpServer? autoconfig, string? demoPassword)
    {
        await output.WriteLineAsync($"postino: data folder {site.Data.Path}");
        if (site.Database is { } database)
        {
            await output.WriteLineAsync($"postino: store {database.Description}");
        }

        foreach (var listener in server.Listeners)
        {
            await output.WriteLineAsync($"  {listener.Name,-6} listening on {ListenFailure.Text(listener.BoundEndPoint)}");
        }

        if (metrics is not null)
        {
            await output.WriteLineAsync($"  {"metrics",-6} listening on {ListenFailure.Text(metrics.BoundEndPoint)} (http: /metrics, /healthz)");
        }

        if (autoconfig is not null)
        {
            await output.WriteLineAsync($"  {"autoconfig",-6} listening on {ListenFailure.Text(autoconfig.BoundEndPoint)} (Thunderbird autoconfig, Outlook Autodiscover)");
        }

        if (demoPassword is not null)
        {
            await output.WriteLineAsync($"postino: created user demo with password {demoPassword} (shown once; change it with `postino user passwd demo`)");
        }

        if (server.Listeners.FirstOrDefault(l => l.Name == "pop3")?.BoundEndPoint is System.Net.IPEndPoint pop3)
        {
            await output.WriteLineAsync($"postino: try `curl pop3://demo:PASSWORD@{pop3.Address}:{pop3.Port}/1` or any POP3 client");
        }

        await output.WriteLineAsync("postino is ready");
        await output.FlushAsync();
    }
}
