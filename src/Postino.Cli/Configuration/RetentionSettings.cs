using Microsoft.Extensions.Configuration;
using Postino.Storage.Retention;

namespace Postino.Cli.Configuration;

/// <summary>
/// The <c>Retention</c> section: <c>Default</c> (client | delete-on-retrieve | keep-days:N, optionally
/// <c>,max-age-days:N</c>), <c>Domains</c> (domain -> the same form) and <c>SweepInterval</c>.
/// </summary>
internal static class RetentionSettings
{
    public static RetentionOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection("Retention");
        foreach (var child in section.GetChildren())
        {
            if (child.Key is not ("Default" or "Domains" or "SweepInterval"))
            {
                throw new ConfigurationProblem($"Retention:{child.Key}: unknown option (known: Default, Domains, SweepInterval)");
            }
        }

        var defaultRetention = Parse("Retention:Default", section["Default"] ?? "client");
        var domains = new Dictionary<string, EffectiveRetention>(StringComparer.OrdinalIgnoreCase);
        foreach (var domain in section.GetSection("Domains").GetChildren())
        {
            domains[domain.Key] = Parse($"Retention:Domains:{domain.Key}", domain.Value);
        }

        return new RetentionOptions { Default = defaultRetention, Domains = domains };
    }

    public static TimeSpan SweepInterval(IConfiguration configuration)
    {
        var text = configuration["Retention:SweepInterval"];
        if (text is null)
        {
            return TimeSpan.FromHours(1);
        }

        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var interval) && interval >= TimeSpan.FromSeconds(1)
            ? interval
            : throw new ConfigurationProblem($"Retention:SweepInterval: '{text}' is not a time span of at least 1 second (hh:mm:ss)");
    }

    private static EffectiveRetention Parse(string key, string? text) =>
        EffectiveRetention.TryParse(text, out var retention, out var problem)
            ? retention
            : throw new ConfigurationProblem($"{key}: {problem}");
}
