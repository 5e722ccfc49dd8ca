using Microsoft.Extensions.Configuration;
using Postino.Cli.Configuration;
using Postino.Server.Delivery;

namespace Postino.Deliver;

/// <summary>
/// ConfigurationLoader.Bind for the two sections deliver reads, with concrete types so that the configuration binding
/// source generator binds them without reflection: an unknown key or a value of the wrong type is a
/// <see cref="ConfigurationProblem"/> naming the key, as in the full CLI.
/// </summary>
internal static class StrictSections
{
    public static MailSettings Mail(IConfiguration configuration)
    {
        var settings = new MailSettings();
        var section = Checked(configuration, "Mail", nameof(MailSettings.Location), nameof(MailSettings.QuotaBytes), nameof(MailSettings.QuotaMessages));
        Bind(section, () => section.Bind(settings));
        return settings;
    }

    public static DeliveryOptions Delivery(IConfiguration configuration)
    {
        var options = new DeliveryOptions();
        var section = Checked(configuration, "Delivery", nameof(DeliveryOptions.RecipientDelimiter));
        Bind(section, () => section.Bind(options));
        return options;
    }

    private static IConfigurationSection Checked(IConfiguration configuration, string name, params string[] allowed)
    {
        var section = configuration.GetSection(name);
        foreach (var child in section.GetChildren())
        {
            if (!allowed.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                throw new ConfigurationProblem($"{name}:{child.Key}: unknown option (known: {string.Join(", ", allowed.Order(StringComparer.OrdinalIgnoreCase))})");
            }
        }

        return section;
    }

    private static void Bind(IConfigurationSection section, Action bind)
    {
        try
        {
            bind();
        }
        catch (InvalidOperationException exception)
        {
            throw new ConfigurationProblem($"{section.Key}: {exception.Message} {exception.InnerException?.Message}".TrimEnd());
        }
    }
}
