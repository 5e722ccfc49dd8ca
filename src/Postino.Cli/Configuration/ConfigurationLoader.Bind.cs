using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Postino.Cli.Configuration;

/// <summary>Binding a section by reflection, for the .NET program (the NativeAOT program binds by generated code).</summary>
internal static partial class ConfigurationLoader
{
    /// <summary>
    /// Binds a section onto <paramref name="options"/>. A key that names no option (a typo) or a value of the wrong
    /// type stops the start with the key's full name; <paramref name="alsoAllowed"/> are keys read elsewhere.
    /// </summary>
    public static T Bind<T>(IConfiguration configuration, string section, T options, params string[] alsoAllowed)
        where T : class
    {
        var settable = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.Name)
            .Concat(alsoAllowed)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        CheckKeys(configuration, section, [.. settable]);
        var values = configuration.GetSection(section);
        try
        {
            values.Bind(options);
        }
        catch (InvalidOperationException exception)
        {
            // The binder's message names the full key ("Failed to convert configuration value at 'Pop3:IdleTimeout'...").
            throw new ConfigurationProblem($"{section}: {exception.Message} {exception.InnerException?.Message}".TrimEnd());
        }

        return options;
    }
}
