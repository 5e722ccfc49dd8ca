using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Tls;

/// <summary>Kestrel's TLS middleware in front of a non-HTTP connection handler, as the POP3S listener uses it.</summary>
public sealed class ImplicitTlsListenerTests : IAsyncLifetime
{
    private readonly TlsCertificate _certificate = TestCertificates.SelfSigned();
    private WebApplication? _app;
    private int _port;

    public async Task InitializeAsync()
    {
        var settings = new TlsServerSettings(new FixedCertificateProvider(_certificate));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.UseImplicitTls(settings);
            listen.UseConnectionHandler<TlsInfoHandler>();
        }));
        _app = builder.Build();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _port = new Uri(address).Port;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Handler_sees_protocol_cipher_and_channel_binding()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _port);
        await using var client = await InMemoryConnection.ClientHandshakeAsync(tcp.GetStream(), _certificate.Certificate);
        var line = await InMemoryConnection.ReadLineAsync(client);
        var expected = new TlsConnectionInfo(client.SslProtocol, client.NegotiatedCipherSuite, null);
        Assert.Equal($"+OK {expected} {Convert.ToHexString(_certificate.TlsServerEndPoint!)} idle-buffers-released", line);
    }

    [Fact]
    public async Task Plaintext_client_gets_no_greeting()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _port);
        var stream = tcp.GetStream();
        await stream.WriteAsync("CAPA\r\n"u8.ToArray());
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer);
        Assert.DoesNotContain("+OK", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
    }

    private sealed class TlsInfoHandler : ConnectionHandler
    {
        public override async Task OnConnectedAsync(ConnectionContext connection)
        {
            var info = connection.GetTlsInfo();
            // The listener asked OpenSSL to free the connection's record buffers while idle (OpenSslIdleBuffers).
            var released = OpenSslIdleBuffers.IsSet(connection.Features.Get<ISslStreamFeature>()?.SslStream) ? " idle-buffers-released" : "";
            var text = info is null ? "-ERR no TLS" : $"+OK {info} {Convert.ToHexString(info.TlsServerEndPoint ?? [])}{released}";
            await connection.Transport.Output.WriteAsync(Encoding.ASCII.GetBytes(text + "\r\n"));
        }
    }
}
