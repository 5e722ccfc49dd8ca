using Microsoft.Extensions.Configuration;
using Postino.Cli.Commands;

namespace Postino.Cli.Tests.Commands;

public class EffectiveSettingsTests
{
    [Fact]
    public void Secrets_are_redacted_and_other_values_printed()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:ConnectionString"] = "Host=db;Password=hunter2",
            ["Relay:Password"] = "hunter3",
            ["Pop3:Listen"] = "*:110",
        }).Build();

        var lines = EffectiveSettings.Lines(configuration).ToList();

        Assert.Contains("Pop3:Listen = *:110", lines);
        Assert.Contains("Store:ConnectionString = (redacted)", lines);
        Assert.Contains("Relay:Password = (redacted)", lines);
        Assert.DoesNotContain(lines, l => l.Contains("hunter", StringComparison.Ordinal));
    }
}
