using System.Net;
using Postino.Server.Pop2;

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
        Assert.Equal(allowed, new Pop2Options().AllowsPlaintextFrom(IPAddress.Parse(address)));
    }

    [Fact]
    public void Trusted_networks_can_be_added()
    {
        var options = new Pop2Options();
        options.TrustedNetworks.Add(IPNetwork.Parse("192.0.2.0/24"));

        Assert.True(options.AllowsPlaintextFrom(IPAddress.Parse("192.0.2.7")));
        Assert.False(options.AllowsPlaintextFrom(IPAddress.Parse("198.51.100.1")));
    }

    [Fact]
    public void The_administrator_can_allow_plaintext_from_anywhere()
    {
        var options = new Pop2Options { AllowPlaintextFromUntrusted = true };

        Assert.True(options.AllowsPlaintextFrom(IPAddress.Parse("198.51.100.1")));
    }

    [Fact]
    public void A_connection_without_an_ip_address_is_local()
    {
        Assert.True(new Pop2Options().AllowsPlaintextFrom(null));
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
}
