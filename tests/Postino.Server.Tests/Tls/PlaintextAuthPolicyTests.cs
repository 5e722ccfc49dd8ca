using System.Net;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Tls;

public class PlaintextAuthPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("203.0.113.9", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("::ffff:203.0.113.9", false)]
    public void Default_trusts_loopback_only(string address, bool allowed) =>
        Assert.Equal(allowed, PlaintextAuthPolicy.LoopbackTrusted.Allows(IPAddress.Parse(address), tlsActive: false));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("203.0.113.9")]
    public void Tls_always_allows(string address)
    {
        Assert.True(PlaintextAuthPolicy.TlsRequired.Allows(IPAddress.Parse(address), tlsActive: true));
        Assert.True(PlaintextAuthPolicy.LoopbackTrusted.Allows(IPAddress.Parse(address), tlsActive: true));
    }

    [Fact]
    public void Empty_list_refuses_even_loopback() =>
        Assert.False(PlaintextAuthPolicy.Parse("").Allows(IPAddress.Loopback, tlsActive: false));

    [Fact]
    public void Parse_takes_networks_and_bare_addresses()
    {
        var policy = PlaintextAuthPolicy.Parse("192.168.0.0/16, 10.1.2.3 ::1");
        Assert.True(policy.Allows(IPAddress.Parse("192.168.44.1"), false));
        Assert.True(policy.Allows(IPAddress.Parse("10.1.2.3"), false));
        Assert.False(policy.Allows(IPAddress.Parse("10.1.2.4"), false));
        Assert.True(policy.Allows(IPAddress.IPv6Loopback, false));
        Assert.False(policy.Allows(IPAddress.Loopback, false));
    }

    [Fact]
    public void Parse_refuses_garbage() => Assert.Throws<FormatException>(() => PlaintextAuthPolicy.Parse("localhost"));

    [Fact]
    public void Always_allowed_allows_everyone() =>
        Assert.True(PlaintextAuthPolicy.AlwaysAllowed.Allows(IPAddress.Parse("2001:db8::1"), false));
}
