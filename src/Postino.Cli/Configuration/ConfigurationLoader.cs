using Microsoft.Extensions.Configuration;

namespace Postino.Cli.Configuration;

/// <summary>
/// Builds the configuration every command reads: the JSON file given with --config (if any), then
/// <c>POSTINO__Section__Key</c> environment variables, then the command line's own flags, each overriding the last.
/// </summary>
internal static class ConfigurationLoader
{
    public const string EnvironmentPrefix = "POSTINO__";

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

    /// <summary>Binds a section onto a fresh options object, naming the key when a value has the wrong type.</summary>
    public static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException exception)
        {
            throw new ConfigurationProblem($"{section}: {exception.InnerException?.Message ?? exception.Message}");
        }

        return options;
    }
}
