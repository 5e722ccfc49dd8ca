using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Postino.Server.Hosting;
using Postino.Server.Security;

namespace Postino.Server.Tests.Hosting;

/// <summary>The admission path over real sockets: caps per listener, ahead of TLS, bounded handshakes, PROXY protocol.</summary>
public sealed class ConnectionAdmissionTests
{
    private static readonly IPNetwork Loopback = IPNetwork.Parse("127.0.0.0/8");

    [Fact]
    public async Task Silent_connections_to_pop3s_over_the_per_address_cap_are_closed_at_once_without_a_handshake()
    {
        await using var server = await AdmissionTestServer.StartAsync(new(), new() { ConnectionsPerAddress = 3 });
        var held = new List<Socket>();
        try
        {
            for (var i = 0; i < 40; i++)
            {
                held.Add(await server.ConnectAsync("pop3s"));
            }

            // Kestrel hands accepted connections to the thread pool, so which three are admitted is not the order of
            // the connects: count the ones the server closed. Those were closed with nothing written: no TLS work was
            // done for them, while the three admitted ones wait at the handshake.
            await AdmissionTestServer.EventuallyAsync(
                () => server.Pop3s.Refusals.Total(ConnectionRefusal.PerAddressLimit) == 37, "37 refusals");
            await AdmissionTestServer.EventuallyAsync(
                () => held.Count(SocketState.IsClosedByPeer) == 37, "the refused connections to be closed");
            Assert.All(held, socket => Assert.Equal(0, socket.Available));
            Assert.Equal(3, server.Pop3s.OpenConnections);

            // An admitted connection reaches the handshake gate a moment after admission counted it.
            await AdmissionTestServer.EventuallyAsync(() => server.Pop3s.HandshakesInProgress == 3, "the third handshake to reach the gate");
            Assert.Equal(37, server.Pop3s.Refusals.Total(ConnectionRefusal.PerAddressLimit));
            Assert.Equal(37, held.Count(SocketState.IsClosedByPeer));

            // Plain POP3 has its own caps: the flood on POP3S did not take its places.
            using var pop3 = await server.ConnectAsync("pop3");
            Assert.StartsWith("+OK", await AdmissionTestServer.ReadLineAsync(pop3), StringComparison.Ordinal);
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Handshakes_in_progress_are_bounded_and_a_silent_one_is_cut_at_the_deadline()
    {
        await using var server = await AdmissionTestServer.StartAsync(new(), new() { PendingHandshakes = 2, HandshakeTimeout = TimeSpan.FromSeconds(10) });
        using var first = await server.ConnectAsync("pop3s");
        using var second = await server.ConnectAsync("pop3s");
        await AdmissionTestServer.EventuallyAsync(() => server.Pop3s.HandshakesInProgress == 2, "two handshakes in progress");

        using var third = await server.ConnectAsync("pop3s");
        Assert.Null(await AdmissionTestServer.ReadLineAsync(third));
        Assert.Equal(1, server.Pop3s.Refusals.Total(ConnectionRefusal.PendingHandshakes));

        server.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(await AdmissionTestServer.ReadLineAsync(first));
        Assert.Null(await AdmissionTestServer.ReadLineAsync(second));
        await AdmissionTestServer.EventuallyAsync(() => server.Pop3s.HandshakesInProgress == 0 && server.Pop3s.OpenConnections == 0, "the slots to free");

        // A client that completes its handshake frees its handshake slot and is served.
        using var tcp = await server.ConnectAsync("pop3s");
        await using var tls = new SslStream(new NetworkStream(tcp), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost");
        using var reader = new StreamReader(tls, Encoding.ASCII);
        Assert.StartsWith("+OK", await reader.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal(0, server.Pop3s.HandshakesInProgress);
        Assert.Equal(1, server.Pop3s.OpenConnections);
    }

    [Fact]
    public async Task Plain_pop3_over_the_total_cap_answers_sys_temp()
    {
        await using var server = await AdmissionTestServer.StartAsync(new() { TotalConnections = 1 }, new());
        using var first = await server.ConnectAsync("pop3");
        Assert.StartsWith("+OK", await AdmissionTestServer.ReadLineAsync(first), StringComparison.Ordinal);

        using var second = await server.ConnectAsync("pop3", IPAddress.Parse("127.0.0.2"));
        Assert.Equal("-ERR [SYS/TEMP] Too many connections, try again later", await AdmissionTestServer.ReadLineAsync(second));
        Assert.Null(await AdmissionTestServer.ReadLineAsync(second));
        Assert.Equal(1, server.Pop3.Refusals.Total(ConnectionRefusal.TotalLimit));
    }

    [Fact]
    public async Task The_descriptor_budget_is_shared_by_every_listener_and_given_back_at_close()
    {
        var budget = new DescriptorBudget(capacity: 1);
        await using var server = await AdmissionTestServer.StartAsync(new(), new(), budget);
        var first = await server.ConnectAsync("pop3");
        Assert.StartsWith("+OK", await AdmissionTestServer.ReadLineAsync(first), StringComparison.Ordinal);

        using (var second = await server.ConnectAsync("pop3", IPAddress.Parse("127.0.0.2")))
        {
            Assert.Equal("-ERR [SYS/TEMP] Too many connections, try again later", await AdmissionTestServer.ReadLineAsync(second));
        }

        using (var overTls = await server.ConnectAsync("pop3s", IPAddress.Parse("127.0.0.3")))
        {
            Assert.Null(await AdmissionTestServer.ReadLineAsync(overTls));
        }

        Assert.Equal(1, server.Pop3.Refusals.Total(ConnectionRefusal.Descriptors));
        Assert.Equal(1, server.Pop3s.Refusals.Total(ConnectionRefusal.Descriptors));

        first.Dispose();
        await AdmissionTestServer.EventuallyAsync(() => budget.Held == 0, "the closed connection to give its share back");
        using var third = await server.ConnectAsync("pop3");
        Assert.StartsWith("+OK", await AdmissionTestServer.ReadLineAsync(third), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(300UL, 44)]
    [InlineData(1024UL, 768)]
    [InlineData(20000UL, 15000)]
    [InlineData(1048576UL, 786432)]
    public void The_descriptor_budget_keeps_a_quarter_in_reserve_and_counts_one_per_connection(ulong limit, int connections) =>
        Assert.Equal(connections, DescriptorBudget.CapacityFor(limit));

    [Fact]
    public void An_unknown_or_unlimited_descriptor_limit_sets_no_budget()
    {
        Assert.Equal(int.MaxValue, DescriptorBudget.CapacityFor(null));
        Assert.Equal(int.MaxValue, DescriptorBudget.CapacityFor(ulong.MaxValue));
        Assert.Equal(1, DescriptorBudget.CapacityFor(100));
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_the_caps_and_the_session_see_the_real_client()
    {
        var proxied = new ConnectionAdmissionOptions { ConnectionsPerAddress = 1, ProxyProtocol = true, TrustedProxies = [Loopback] };
        await using var server = await AdmissionTestServer.StartAsync(proxied, new());

        using var first = await server.ConnectAsync("pop3");
        await first.SendAsync(Encoding.ASCII.GetBytes("PROXY TCP4 192.0.2.7 127.0.0.1 40000 110\r\nUSER alice\r\n"));
        Assert.StartsWith("+OK", await AdmissionTestServer.ReadLineAsync(first), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await AdmissionTestServer.ReadLineAsync(first), StringComparison.Ordinal);
        await first.SendAsync("PASS pw\r\n"u8.ToArray());
        Assert.StartsWith("+OK", await AdmissionTestServer.ReadLineAsync(first), StringComparison.Ordinal);
        Assert.Equal(IPAddress.Parse("192.0.2.7"), Assert.Single(server.Authenticator.Attempts).Remote);

        // The same client again is over its cap of 1; another client behind the same proxy is not.
        using var again = await server.ConnectAsync("pop3");
        await again.SendAsync("PROXY TCP4 192.0.2.7 127.0.0.1 40001 110\r\n"u8.ToArray());
        Assert.StartsWith("-ERR [SYS/TEMP]", await AdmissionTestServer.ReadLineAsync(again), StringComparison.Ordinal);
        using var other = await server.ConnectAsync("pop3");
        await other.SendAsync("PROXY TCP4 192.0.2.8 127.0.0.1 40002 110\r\n"u8.ToArray());
        Assert.StartsWith("+OK", await AdmissionTestServer.ReadLineAsync(other), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_listener_refuses_untrusted_peers_and_bad_or_late_headers_without_a_word()
    {
        var proxied = new ConnectionAdmissionOptions { ProxyProtocol = true, TrustedProxies = [IPNetwork.Parse("127.0.0.1/32")] };
        await using var server = await AdmissionTestServer.StartAsync(proxied, new());

        using var untrusted = await server.ConnectAsync("pop3", IPAddress.Parse("127.0.0.2"));
        Assert.Null(await AdmissionTestServer.ReadLineAsync(untrusted));

        using var bad = await server.ConnectAsync("pop3");
        await bad.SendAsync("USER alice\r\n"u8.ToArray());
        Assert.Null(await AdmissionTestServer.ReadLineAsync(bad));

        using var silent = await server.ConnectAsync("pop3");
        await silent.SendAsync("PROXY TCP4 192.0.2.7"u8.ToArray());
        await AdmissionTestServer.EventuallyAsync(() => server.Pop3.ProxyHeadersPending == 1, "the header to be awaited");
        server.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(await AdmissionTestServer.ReadLineAsync(silent));
        Assert.Equal(1, server.Pop3.Refusals.Total(ConnectionRefusal.UntrustedProxy));
        Assert.Equal(2, server.Pop3.Refusals.Total(ConnectionRefusal.BadProxyHeader));
        Assert.Empty(server.Authenticator.Attempts);
    }

    [Fact]
    public async Task The_proxy_header_comes_before_tls_on_pop3s()
    {
        var proxied = new ConnectionAdmissionOptions { ProxyProtocol = true, TrustedProxies = [Loopback] };
        await using var server = await AdmissionTestServer.StartAsync(new(), proxied);
        using var tcp = await server.ConnectAsync("pop3s");
        byte[] v2 = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0x00, 0x0C, 192, 0, 2, 9, 127, 0, 0, 1, 0x9C, 0x40, 0x03, 0xE3];
        await tcp.SendAsync(v2);
        await using var tls = new SslStream(new NetworkStream(tcp), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost");
        using var reader = new StreamReader(tls, Encoding.ASCII);
        Assert.StartsWith("+OK", await reader.ReadLineAsync(), StringComparison.Ordinal);
        await tls.WriteAsync("USER alice\r\nPASS pw\r\n"u8.ToArray());
        await reader.ReadLineAsync();
        Assert.StartsWith("+OK", await reader.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal(IPAddress.Parse("192.0.2.9"), Assert.Single(server.Authenticator.Attempts).Remote);
    }
}
