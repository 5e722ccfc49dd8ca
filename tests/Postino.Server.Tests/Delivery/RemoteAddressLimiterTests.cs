using System.Net;
using System.Net.Sockets;
using Postino.Server.Delivery;

namespace Postino.Server.Tests.Delivery;

public sealed class RemoteAddressLimiterTests
{
    [Fact]
    public void Refuses_past_the_limit_per_address_and_frees_on_dispose()
    {
        var limiter = new RemoteAddressLimiter(2);
        var a = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 1);
        var b = new IPEndPoint(IPAddress.Parse("192.0.2.2"), 1);

        var first = limiter.TryAcquire(a);
        var second = limiter.TryAcquire(a);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(limiter.TryAcquire(a));
        Assert.NotNull(limiter.TryAcquire(b));

        first!.Dispose();
        first.Dispose();
        Assert.NotNull(limiter.TryAcquire(a));
        Assert.Null(limiter.TryAcquire(a));
    }

    [Fact]
    public void Unix_socket_peers_are_not_limited()
    {
        var limiter = new RemoteAddressLimiter(1);
        var peer = new UnixDomainSocketEndPoint("/tmp/x");

        Assert.NotNull(limiter.TryAcquire(peer));
        Assert.NotNull(limiter.TryAcquire(peer));
    }
}
