using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Postino.Cli.Serve;

namespace Postino.Cli.Commands;

/// <summary>
/// <c>postino check-config [--config FILE]</c>: composes the server exactly as <c>serve</c> would, without listening,
/// and prints the effective configuration (secrets redacted); a bad option exits 78 with <c>serve</c>'s message.
/// </summary>
internal static class CheckConfigCommand
{
    public static Command Create()
    {
        var command = new Command("check-config", "Check the configuration as serve would and print the effective settings (secrets redacted).");
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        command.Options.Add(config);
        command.Options.Add(dataDir);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            void Logging(ILoggingBuilder builder) => builder.SetMinimumLevel(LogLevel.None);
            try
            {
                var (site, server) = await ServeSetup.BuildAsync(
                    parseResult.GetValue(config), parseResult.GetValue(dataDir), new Dictionary<string, string?>(), NullLoggerFactory.Instance, Logging, TimeProvider.System, cancellationToken);
                await using (server)
                {
                    await output.WriteLineAsync($"data folder: {site.Data.Path}");
                    await output.WriteLineAsync($"host name: {site.HostName}");
                    foreach (var listener in server.Listeners)
                    {
                        await output.WriteLineAsync($"listener {listener.Name}: {ListenFailure.Text(listener.EndPoint)}{(listener.Tls == Server.Hosting.ListenerTls.Implicit ? " (TLS)" : "")}");
                    }

                    foreach (var line in EffectiveSettings.Lines(site.Configuration))
                    {
                        await output.WriteLineAsync(line);
                    }
                }

                await output.WriteLineAsync("configuration OK");
                return 0;
            }
            catch (Exception exception) when (ServeSetup.IsConfigurationProblem(exception))
            {
                await Console.Error.WriteLineAsync($"postino serve: configuration error: {exception.Message}");
                return ServeSetup.ConfigurationError;
            }
        });
        return command;
    }
}

/// <summary>The configuration's keys and values as "Section:Key = value" lines, secrets redacted.</summary>
internal static class EffectiveSettings
{
    // A value under a key with one of these words is never printed: passwords, connection strings with passwords.
    private static readonly string[] SecretWords = ["password", "secret", "connectionstring", "token", "apikey"];

    public static IEnumerable<string> Lines(IConfiguration configuration) => configuration.AsEnumerable()
        .Where(pair => pair.Value is not null)
        .OrderBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase)
        .Select(pair => $"{pair.Key} = {(IsSecret(pair.Key) ? "(redacted)" : pair.Value)}");

    public static bool IsSecret(string key) =>
        SecretWords.Any(word => key.Replace("_", "", StringComparison.Ordinal).Contains(word, StringComparison.OrdinalIgnoreCase));
}
