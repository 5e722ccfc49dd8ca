using System.Net.Security;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Tls;

public class OpenSslTicketsTests
{
    private static readonly TlsCertificate Certificate = TestCertificates.SelfSigned();

    [Fact]
    public async Task A_server_handshake_through_StartTls_sends_one_ticket_instead_of_two()
    {
        var connection = new InMemoryConnection();
        var settings = new TlsServerSettings(new FixedCertificateProvider(Certificate));
        var upgrade = StartTls.UpgradeAsync(connection.Server, settings, CancellationToken.None);
        await using var client = await InMemoryConnection.ClientHandshakeAsync(connection.Client, Certificate.Certificate);
        await using var tls = await upgrade;

        // On the runtime this ships with (Linux, OpenSSL 3) the SSL object is found during the handshake; a runtime
        // whose SslStream changed layout fails here instead of silently sending OpenSSL's two tickets again.
        Assert.Equal(OpenSslTickets.PerFullHandshake, OpenSslTickets.Count(tls.Stream));
    }

    [Fact]
    public async Task OpenSsl_default_is_two_tickets_without_the_limit()
    {
        var connection = new InMemoryConnection();
        await using var server = new SslStream(new DuplexPipeStream(connection.Server.Input, connection.Server.Output), leaveInnerStreamOpen: true);
        Assert.Null(OpenSslTickets.Count(server)); // no SSL object before the handshake
        Assert.False(OpenSslTickets.Limit(server, 1));

        var handshake = server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Certificate.Certificate });
        await using var client = await InMemoryConnection.ClientHandshakeAsync(connection.Client, Certificate.Certificate);
        await handshake;
        Assert.Equal(2, OpenSslTickets.Count(server));
    }
}
