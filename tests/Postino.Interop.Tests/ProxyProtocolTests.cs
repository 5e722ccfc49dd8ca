using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Postino.Interop.Tests;

/// <summary>
/// <c>postino serve</c> behind a real HAProxy sending PROXY v2 (<c>send-proxy-v2</c>) and v1 (<c>send-proxy</c>):
/// the caps, the session and its logout line see the real client, not the proxy; anyone else is refused.
/// The clients bind 127.0.0.2 and 127.0.0.3 so that the real client differs from the proxy (127.0.0.1).
/// </summary>
public class ProxyProtocolTests
{
    private static readonly IPAddress ClientA = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress ClientB = IPAddress.Parse("127.0.0.3");

    [Fact]
    public async Task Behind_haproxy_the_per_address_cap_and_the_logs_see_the_real_client()
    {
        await using var server = await PostinoProcess.StartAsync(new Dictionary<string, string>
        {
            ["POSTINO__Limits__TrustedProxies"] = "127.0.0.1/32",
            ["POSTINO__Pop3__ProxyProtocol"] = "true",
            ["POSTINO__Pop3__ConnectionsPerAddress"] = "1",
            ["POSTINO__Pop3s__ProxyProtocol"] = "true",
        });
        await using var haproxy = await HaproxyProcess.StartAsync(
            ("v2", server.Port("pop3"), "send-proxy-v2"),
            ("v1", server.Port("pop3"), "send-proxy"),
            ("tls", server.Port("pop3s"), "send-proxy-v2"));

        using (var first = await haproxy.ConnectAsync("v2", ClientA))
        {
            var a = new LineClient(first.GetStream());
            Assert.StartsWith("+OK", await a.ReadLineAsync(), StringComparison.Ordinal);

            // The same real client again, through the other frontend: over its cap of one.
            using (var second = await haproxy.ConnectAsync("v1", ClientA))
            {
                Assert.StartsWith("-ERR [SYS/TEMP]", await new LineClient(second.GetStream()).ReadLineAsync(), StringComparison.Ordinal);
            }

            // Another client behind the same proxy is not.
            using (var other = await haproxy.ConnectAsync("v1", ClientB))
            {
                var b = new LineClient(other.GetStream());
                Assert.StartsWith("+OK", await b.ReadLineAsync(), StringComparison.Ordinal);
                Assert.StartsWith("+OK", await b.CommandAsync("QUIT"), StringComparison.Ordinal);
            }

            Assert.StartsWith("+OK", await a.CommandAsync("USER demo"), StringComparison.Ordinal);
            Assert.StartsWith("+OK", await a.CommandAsync("PASS " + server.DemoPassword), StringComparison.Ordinal);
            Assert.StartsWith("+OK", await a.CommandAsync("QUIT"), StringComparison.Ordinal);
        }

        // TLS passes through HAProxy untouched, after the header.
        using (var tcp = await haproxy.ConnectAsync("tls", ClientB))
        {
            await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
            await tls.AuthenticateAsClientAsync("localhost");
            var s = new LineClient(tls);
            Assert.StartsWith("+OK", await s.ReadLineAsync(), StringComparison.Ordinal);
            Assert.StartsWith("+OK", await s.CommandAsync("USER demo"), StringComparison.Ordinal);
            Assert.StartsWith("+OK", await s.CommandAsync("PASS " + server.DemoPassword), StringComparison.Ordinal);
            Assert.StartsWith("+OK", await s.CommandAsync("QUIT"), StringComparison.Ordinal);
        }

        await server.StopAsync();
        Assert.Contains(server.Output, l => l.Contains("pop3 logout: user=demo remote=127.0.0.2:", StringComparison.Ordinal));
        Assert.Contains(server.Output, l => l.Contains("pop3 logout: user=demo remote=127.0.0.3:", StringComparison.Ordinal) && l.Contains("tls=TLS", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(server.Output, l => l.Contains("user=demo remote=127.0.0.1:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_proxy_listener_refuses_a_peer_that_is_not_a_trusted_proxy()
    {
        await using var server = await PostinoProcess.StartAsync(new Dictionary<string, string>
        {
            ["POSTINO__Limits__TrustedProxies"] = "127.0.0.1/32",
            ["POSTINO__Pop3__ProxyProtocol"] = "true",
        });

        // A direct client that forges a header from an address that is not a trusted proxy: closed, nothing read.
        using var forger = new TcpClient(new IPEndPoint(ClientA, 0));
        await forger.ConnectAsync(IPAddress.Loopback, server.Port("pop3"));
        var stream = forger.GetStream();
        await stream.WriteAsync("PROXY TCP4 192.0.2.1 127.0.0.1 1 110\r\n"u8.ToArray());
        Assert.Null(await new LineClient(stream).TryReadLineAsync());

        // The listeners without ProxyProtocol are untouched.
        using var plain = new TcpClient(new IPEndPoint(ClientA, 0));
        await plain.ConnectAsync(IPAddress.Loopback, server.Port("pop2"));
        Assert.StartsWith("+", await new LineClient(plain.GetStream()).ReadLineAsync(), StringComparison.Ordinal);
    }
}
