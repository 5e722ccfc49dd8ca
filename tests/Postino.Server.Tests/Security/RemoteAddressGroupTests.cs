using System.Net;
using Postino.Server.Security;

namespace Postino.Server.Tests.Security;

public sealed class RemoteAddressGroupTests
{
    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::")]
    [InlineData("::1", "::")]
    public void Ipv4_is_per_address_and_ipv6_per_64(string address, string group)
    {
        Assert.Equal(IPAddress.Parse(group), RemoteAddressGroup.Of(IPAddress.Parse(address)));
    }

    [Fact]
    public void Different_64s_are_different_groups()
    {
        Assert.NotEqual(
            RemoteAddressGroup.Of(IPAddress.Parse("2001:db8:1:2::1")),
            RemoteAddressGroup.Of(IPAddress.Parse("2001:db8:1:3::1")));
    }
}
