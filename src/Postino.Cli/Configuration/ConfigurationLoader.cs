using Microsoft.Extensions.Configuration;

namespace Postino.Cli.Configuration;

/// <summary>
/// Builds the configuration every command reads: the JSON file given with --config (if any), then
/// <c>POSTINO__Section__Key</c> environment variables, then the command line's own flags, each overriding the last.
/// Binding by reflection is apart (ConfigurationLoader.Bind.cs): the NativeAOT one-shot program compiles this file only.
/// </summary>
internal static partial class ConfigurationLoader
{
    public const string EnvironmentPrefix = "POSTINO__";

    /// <summary>
    /// Options of older releases that now live elsewhere: an old configuration stops the start with the new key's name
    /// rather than a bare "unknown option".
    /// </summary>
    private static readonly Dictionary<string, string> MovedKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        // One list of networks trusted with plaintext logins for POP3 and POP2 (issue 14).
        ["Pop2:TrustedNetworks"] = "Auth:TrustedNetworks (one list for POP3 and POP2 plaintext logins)",
    };

    public static IConfigurationRoot Load(FileInfo? configFile, IReadOnlyDictionary<string, string?> commandLine)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            if (!configFile.Exists)
            {
                throw new ConfigurationProblem($"--config: the file {configFile.FullName} does not exist");
            }

            builder.AddJsonFile(configFile.FullName, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddInMemoryCollection(commandLine.Where(pair => pair.Value is not null));
        try
        {
            return builder.Build();
        }
        catch (Exception exception) when (exception is FormatException or InvalidDataException or IOException)
        {
            throw new ConfigurationProblem($"--config: {configFile?.FullName} is not valid JSON: {exception.InnerException?.Message ?? exception.Message}");
        }
    }

    /// <summary>Checks that a section holds only <paramref name="allowed"/> keys (one read elsewhere, such as POP3S's).</summary>
    public static void CheckKeys(IConfiguration configuration, string section, params string[] allowed)
    {
        var settable = allowed.ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var child in configuration.GetSection(section).GetChildren())
        {
            if (MovedKeys.TryGetValue($"{section}:{child.Key}", out var moved))
            {
                throw new ConfigurationProblem($"{section}:{child.Key}: this option moved to {moved}");
            }

            if (!settable.Contains(child.Key))
            {
                throw new ConfigurationProblem($"{section}:{child.Key}: unknown option (known: {string.Join(", ", settable.Order())})");
            }
        }
    }
}
