using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Postino.Server.Hosting;
using Postino.Server.Pop2;
using Postino.Server.Tests.Pop2.Support;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Pop2;

public sealed class Pop2OptionsTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.9.8.7", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("192.0.2.7", false)]
    [InlineData("::ffff:192.0.2.7", false)]
    [InlineData("2001:db8::1", false)]
    public void By_default_only_loopback_may_log_in_in_plaintext(string address, bool allowed)
    {
        Assert.Equal(allowed, Services().AllowsPlaintextFrom(IPAddress.Parse(address)));
    }

    [Fact]
    public void The_trusted_networks_are_the_login_policy_s_shared_with_pop3()
    {
        var services = Services(PlaintextAuthPolicy.Parse("127.0.0.0/8, 192.0.2.0/24 198.51.100.9"));

        Assert.True(services.AllowsPlaintextFrom(IPAddress.Parse("192.0.2.7")));
        Assert.True(services.AllowsPlaintextFrom(IPAddress.Parse("198.51.100.9")));
        Assert.False(services.AllowsPlaintextFrom(IPAddress.Parse("198.51.100.1")));
        Assert.False(services.AllowsPlaintextFrom(IPAddress.IPv6Loopback));
        Assert.False(Services(PlaintextAuthPolicy.TlsRequired).AllowsPlaintextFrom(IPAddress.Loopback));
    }

    [Fact]
    public void The_administrator_can_allow_plaintext_from_anywhere()
    {
        var services = Services() with { Options = new Pop2Options { AllowPlaintextFromUntrusted = true } };

        Assert.True(services.AllowsPlaintextFrom(IPAddress.Parse("198.51.100.1")));
    }

    [Fact]
    public void A_connection_without_an_ip_address_is_local()
    {
        Assert.True(Services(PlaintextAuthPolicy.TlsRequired).AllowsPlaintextFrom(null));
    }

    [Theory]
    [InlineData("INBOX", "INBOX")]
    [InlineData("inbox", "INBOX")]
    [InlineData("InBoX", "INBOX")]
    [InlineData("Archive", "Archive")]
    [InlineData("Work.Projects", "Work.Projects")]
    [InlineData("Sent Items", "Sent Items")]
    [InlineData("", null)]
    [InlineData(".Archive", null)]
    [InlineData("Archive.", null)]
    [InlineData("a..b", null)]
    [InlineData("../bob", null)]
    [InlineData("a/b", null)]
    [InlineData("a\\b", null)]
    [InlineData("a\u0000b", null)]
    public void Folder_names_are_normalised_or_refused(string name, string? expected)
    {
        Assert.Equal(expected, Pop2FolderName.Normalize(name));
    }

    [Fact]
    public void Default_options_are_valid_and_listen_on_1109()
    {
        var options = new Pop2Options();

        Assert.Empty(options.Validate());
        Assert.Equal("127.0.0.1:1109", options.Listen);
    }

    [Fact]
    public void Bad_options_are_named_in_the_errors()
    {
        var options = new Pop2Options
        {
            Listen = "nowhere",
            HostName = "two words",
            LoginIdleTimeout = TimeSpan.Zero,
            SessionIdleTimeout = TimeSpan.FromDays(2),
        };

        var errors = options.Validate();

        Assert.Equal(4, errors.Count);
        Assert.StartsWith("Pop2:Listen:", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("Pop2:HostName:", errors[1], StringComparison.Ordinal);
        Assert.StartsWith("Pop2:LoginIdleTimeout:", errors[2], StringComparison.Ordinal);
        Assert.StartsWith("Pop2:SessionIdleTimeout:", errors[3], StringComparison.Ordinal);
        Assert.Throws<PostinoOptionsException>(() => new ServiceCollection().AddPop2(options));
    }

    [Fact]
    public void Listen_none_is_valid()
    {
        Assert.Empty(new Pop2Options { Listen = "none" }.Validate());
    }

    private static Pop2Services Services(PlaintextAuthPolicy? plaintext = null) => new Pop2TestBed().Services with { Plaintext = plaintext };
}
