using System.Net.Security;
using System.Security.Authentication;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Tls;

/// <summary>
/// Records that leave together: the handshake's tail (the TLS 1.3 ticket) with an implicit-TLS greeting, and the last
/// reply with close_notify. Each pairing saves the server one send and one wake-up of the transport's send loop.
/// </summary>
public class TlsSendCoalescingTests
{
    private static readonly TlsCertificate Certificate = TestCertificates.SelfSigned();

    private static TlsServerSettings Settings(SslProtocols protocols = SslProtocols.None) =>
        new(new FixedCertificateProvider(Certificate), new TlsOptions { Protocols = protocols });

    [Theory]
    [InlineData(SslProtocols.Tls13)]
    [InlineData(SslProtocols.Tls12)]
    public async Task When_the_server_speaks_first_the_handshake_tail_leaves_with_the_greeting(SslProtocols protocol)
    {
        var connection = new InMemoryConnection();
        var upgrade = StartTls.UpgradeAsync(connection.Server, Settings(protocol), default, serverSpeaksFirst: true);
        // The client's handshake may end only with the held records (TLS 1.2's last flight carries the server's
        // Finished): the server greets as soon as its side is done, as an implicit-TLS listener does.
        var clientHandshake = InMemoryConnection.ClientHandshakeAsync(connection.Client, Certificate.Certificate, protocol);
        await using var tls = await upgrade;
        Assert.Equal(protocol, tls.Info.Protocol);
        Assert.True(connection.Server.Output.UnflushedBytes > 0, "the handshake's last records wait for the greeting");

        await tls.Output.WriteAsync("+OK ready\r\n"u8.ToArray());
        Assert.Equal(0, connection.Server.Output.UnflushedBytes);
        await using var client = await clientHandshake;
        Assert.Equal("+OK ready", await InMemoryConnection.ReadLineAsync(client));
    }

    [Fact]
    public async Task After_stls_nothing_is_held_because_the_client_speaks_next()
    {
        var connection = new InMemoryConnection();
        var upgrade = StartTls.UpgradeAsync(connection.Server, Settings(), default);
        await using var client = await InMemoryConnection.ClientHandshakeAsync(connection.Client, Certificate.Certificate);
        await using var tls = await upgrade;
        Assert.Equal(0, connection.Server.Output.UnflushedBytes);

        await client.WriteAsync("CAPA\r\n"u8.ToArray());
        await client.FlushAsync();
        Assert.Equal("CAPA", await InMemoryConnection.ReadLineAsync(tls.Input));
    }

    [Fact]
    public async Task The_last_reply_leaves_with_close_notify()
    {
        var connection = new InMemoryConnection();
        var upgrade = StartTls.UpgradeAsync(connection.Server, Settings(), default, serverSpeaksFirst: true);
        var clientHandshake = InMemoryConnection.ClientHandshakeAsync(connection.Client, Certificate.Certificate);
        var tls = await upgrade;
        await tls.Output.WriteAsync("+OK ready\r\n"u8.ToArray());
        await using var client = await clientHandshake;
        Assert.Equal("+OK ready", await InMemoryConnection.ReadLineAsync(client));

        await tls.CloseWithAsync(async () =>
        {
            await tls.Output.WriteAsync("+OK bye\r\n"u8.ToArray());
            Assert.True(connection.Server.Output.UnflushedBytes > 0, "the reply waits for close_notify");
        });
        Assert.Equal(0, connection.Server.Output.UnflushedBytes);
        Assert.Equal("+OK bye", await InMemoryConnection.ReadLineAsync(client));
        Assert.Equal(0, await client.ReadAsync(new byte[1])); // close_notify: a clean end of the TLS stream
        await tls.DisposeAsync(); // the output is closed already: nothing more is sent
        Assert.Equal(0, connection.Server.Output.UnflushedBytes);
    }
}
