using System.Net;
using System.Net.Sockets;
using Postino.Server.Hosting;

namespace Postino.Server.Tests.Hosting;

public class ListenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:1110", "127.0.0.1:1110")]
    [InlineData("0.0.0.0:110", "0.0.0.0:110")]
    [InlineData("*:995", "0.0.0.0:995")]
    [InlineData("localhost:0", "127.0.0.1:0")]
    [InlineData("[::1]:2424", "[::1]:2424")]
    [InlineData(" 127.0.0.1:65535 ", "127.0.0.1:65535")]
    public void Tcp_addresses(string text, string expected)
    {
        Assert.True(ListenAddress.TryParse(text, out var endPoint, out var error), error);
        Assert.Equal(expected, Assert.IsType<IPEndPoint>(endPoint).ToString());
    }

    [Theory]
    [InlineData("none")]
    [InlineData("NONE")]
    public void None_means_no_listener(string text)
    {
        Assert.True(ListenAddress.TryParse(text, out var endPoint, out _));
        Assert.Null(endPoint);
    }

    [Fact]
    public void Unix_socket_paths()
    {
        Assert.True(ListenAddress.TryParse("unix:/run/postino/lmtp", out var endPoint, out _));
        Assert.Equal("/run/postino/lmtp", Assert.IsType<UnixDomainSocketEndPoint>(endPoint).ToString());
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("127.0.0.1", "is not ADDR:PORT")]
    [InlineData("127.0.0.1:", "is not ADDR:PORT")]
    [InlineData("127.0.0.1:65536", "is not ADDR:PORT")]
    [InlineData("127.0.0.1:-1", "is not ADDR:PORT")]
    [InlineData("example.org:110", "is not an IP address")]
    [InlineData("::1:110", "is not an IP address")]
    [InlineData("unix:", "needs a socket path")]
    public void Bad_addresses_say_what_is_wrong(string text, string problem)
    {
        Assert.False(ListenAddress.TryParse(text, out var endPoint, out var error));
        Assert.Null(endPoint);
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }
}
