using Microsoft.Extensions.Configuration;
using Postino.Server.Pop2;

namespace Postino.Server.Tests.Pop2;

/// <summary>The options bind from configuration ("Pop2" section), as the CLI binds them.</summary>
public sealed class Pop2OptionsBindingTests
{
    [Fact]
    public void Every_option_binds_from_configuration_text()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pop2:HostName"] = "pop2.example.org",
            ["Pop2:LoginIdleTimeout"] = "00:01:00",
            ["Pop2:SessionIdleTimeout"] = "00:20:00",
            ["Pop2:CloseFlushTimeout"] = "00:00:05",
            ["Pop2:AllowPlaintextFromUntrusted"] = "true",
        }).Build();
        var options = new Pop2Options();

        configuration.GetSection("Pop2").Bind(options);

        Assert.Equal("pop2.example.org", options.HostName);
        Assert.Equal(TimeSpan.FromMinutes(1), options.LoginIdleTimeout);
        Assert.Equal(TimeSpan.FromMinutes(20), options.SessionIdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.CloseFlushTimeout);
        Assert.True(options.AllowPlaintextFromUntrusted);
        Assert.Empty(options.Validate());
    }
}
