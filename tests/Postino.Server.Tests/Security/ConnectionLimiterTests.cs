using System.Net;
using Postino.Server.Security;

namespace Postino.Server.Tests.Security;

public sealed class ConnectionLimiterTests
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress B = IPAddress.Parse("192.0.2.2");

    [Fact]
    public void The_default_caps_one_address_at_20()
    {
        var limiter = new ConnectionLimiter(new ConnectionLimitOptions());
        for (var i = 0; i < 20; i++)
        {
            Assert.True(limiter.TryAcquire(A, out _));
        }

        Assert.False(limiter.TryAcquire(A, out var refusal));
        Assert.Equal(ConnectionRefusal.PerAddressLimit, refusal);
        Assert.True(limiter.TryAcquire(B, out refusal));
        Assert.Equal(ConnectionRefusal.None, refusal);
        Assert.Equal(20, limiter.CountFor(A));
        Assert.Equal(21, limiter.Total);
    }

    [Fact]
    public void A_release_makes_room_again()
    {
        var limiter = new ConnectionLimiter(new ConnectionLimitOptions { PerAddress = 1 });
        Assert.True(limiter.TryAcquire(A, out _));
        Assert.False(limiter.TryAcquire(A, out _));
        limiter.Release(A);
        Assert.True(limiter.TryAcquire(A, out _));
        limiter.Release(A);
        Assert.Equal(0, limiter.Total);
        Assert.Equal(0, limiter.CountFor(A));
    }

    [Fact]
    public void The_total_cap_holds_across_addresses()
    {
        var limiter = new ConnectionLimiter(new ConnectionLimitOptions { PerAddress = 5, Total = 3 });
        Assert.True(limiter.TryAcquire(A, out _));
        Assert.True(limiter.TryAcquire(B, out _));
        Assert.True(limiter.TryAcquire(IPAddress.Parse("192.0.2.3"), out _));
        Assert.False(limiter.TryAcquire(IPAddress.Parse("192.0.2.4"), out var refusal));
        Assert.Equal(ConnectionRefusal.TotalLimit, refusal);
    }

    [Fact]
    public void An_ipv6_64_counts_as_one_address()
    {
        var limiter = new ConnectionLimiter(new ConnectionLimitOptions { PerAddress = 2 });
        Assert.True(limiter.TryAcquire(IPAddress.Parse("2001:db8::1"), out _));
        Assert.True(limiter.TryAcquire(IPAddress.Parse("2001:db8::2"), out _));
        Assert.False(limiter.TryAcquire(IPAddress.Parse("2001:db8::3"), out _));
        Assert.True(limiter.TryAcquire(IPAddress.Parse("2001:db8:0:1::1"), out _));
        limiter.Release(IPAddress.Parse("2001:db8::99"));
        Assert.Equal(1, limiter.CountFor(IPAddress.Parse("2001:db8::1")));
    }

    [Fact]
    public void A_client_without_an_address_counts_in_the_total_only()
    {
        var limiter = new ConnectionLimiter(new ConnectionLimitOptions { PerAddress = 1, Total = 3 });
        Assert.True(limiter.TryAcquire(null, out _));
        Assert.True(limiter.TryAcquire(null, out _));
        Assert.True(limiter.TryAcquire(A, out _));
        Assert.False(limiter.TryAcquire(null, out var refusal));
        Assert.Equal(ConnectionRefusal.TotalLimit, refusal);
        limiter.Release(null);
        Assert.Equal(2, limiter.Total);
        limiter.Release(null);
        limiter.Release(A);
        Assert.Throws<InvalidOperationException>(() => limiter.Release(null));
    }

    [Fact]
    public void A_release_without_acquire_is_a_bug_and_says_so()
    {
        var limiter = new ConnectionLimiter(new ConnectionLimitOptions());
        Assert.Throws<InvalidOperationException>(() => limiter.Release(A));
    }

    [Fact]
    public async Task Concurrent_connects_never_exceed_the_cap()
    {
        var limiter = new ConnectionLimiter(new ConnectionLimitOptions { PerAddress = 7, Total = 100 });
        var admitted = 0;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(attempt => Task.Run(() =>
        {
            if (limiter.TryAcquire(A, out _))
            {
                Interlocked.Increment(ref admitted);
            }
        })));
        Assert.Equal(7, admitted);
        Assert.Equal(7, limiter.Total);
    }

    [Fact]
    public void Bad_options_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectionLimiter(new ConnectionLimitOptions { PerAddress = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectionLimiter(new ConnectionLimitOptions { Total = 0 }));
    }
}
