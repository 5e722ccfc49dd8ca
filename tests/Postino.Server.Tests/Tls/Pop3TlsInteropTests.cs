using System.Net;
using System.Net.Sockets;
using System.Text;
using MailKit.Net.Pop3;
using MailKit.Security;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Tls;

/// <summary>STLS, POP3S and SASL against real clients over real sockets: MailKit, Python's poplib, openssl s_client.</summary>
public sealed class Pop3TlsInteropTests : IAsyncLifetime
{
    private Pop3TlsServer? _server;

    private Pop3TlsServer Server => _server!;

    public async Task InitializeAsync() => _server = await Pop3TlsServer.StartAsync(PlaintextAuthPolicy.TlsRequired);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task MailKit_starttls_then_scram_sha_256_plus_with_channel_binding()
    {
        using var client = NewMailKitClient();
        await client.ConnectAsync("127.0.0.1", Server.Pop3Port, SecureSocketOptions.StartTls);
        Assert.True(client.IsSecure);
        Assert.Contains("SCRAM-SHA-256-PLUS", client.AuthenticationMechanisms);
        await client.AuthenticateAsync(new SaslMechanismScramSha256Plus(new NetworkCredential(Pop3TlsServer.User, Pop3TlsServer.Password)));
        Assert.Equal(1, await client.GetMessageCountAsync());
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task MailKit_pop3s_scram_sha_256_plus_binds_to_the_implicit_tls_handshake()
    {
        using var client = NewMailKitClient();
        await client.ConnectAsync("127.0.0.1", Server.Pop3sPort, SecureSocketOptions.SslOnConnect);
        Assert.Contains("SCRAM-SHA-256-PLUS", client.AuthenticationMechanisms);
        Assert.Contains("PLAIN", client.AuthenticationMechanisms);
        Assert.True((client.Capabilities & Pop3Capabilities.StartTLS) == 0);
        await client.AuthenticateAsync(new SaslMechanismScramSha256Plus(new NetworkCredential(Pop3TlsServer.User, Pop3TlsServer.Password)));
        Assert.Equal(1, await client.GetMessageCountAsync());
        await client.DisconnectAsync(true);
    }

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    [InlineData("CRAM-MD5")]
    [InlineData("SCRAM-SHA-256")]
    public async Task MailKit_ssl_on_connect_with_each_mechanism(string mechanism)
    {
        using var client = NewMailKitClient();
        await client.ConnectAsync("127.0.0.1", Server.Pop3sPort, SecureSocketOptions.SslOnConnect);
        var credential = new NetworkCredential(Pop3TlsServer.User, Pop3TlsServer.Password);
        SaslMechanism sasl = mechanism switch
        {
            "PLAIN" => new SaslMechanismPlain(credential),
            "LOGIN" => new SaslMechanismLogin(credential),
            "CRAM-MD5" => new SaslMechanismCramMd5(credential),
            _ => new SaslMechanismScramSha256(credential),
        };
        await client.AuthenticateAsync(sasl);
        Assert.Equal(1, await client.GetMessageCountAsync());
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task MailKit_default_authenticate_reaches_a_user_whose_hash_cannot_do_scram()
    {
        using var client = NewMailKitClient();
        await client.ConnectAsync("127.0.0.1", Server.Pop3sPort, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(Pop3TlsServer.HashedUser, Pop3TlsServer.Password);
        Assert.Equal(1, await client.GetMessageCountAsync());
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task MailKit_without_tls_sees_no_plaintext_mechanisms_and_is_refused()
    {
        using var client = NewMailKitClient();
        await client.ConnectAsync("127.0.0.1", Server.Pop3Port, SecureSocketOptions.None);
        Assert.DoesNotContain("PLAIN", client.AuthenticationMechanisms);
        Assert.DoesNotContain("LOGIN", client.AuthenticationMechanisms);
        Assert.Contains("SCRAM-SHA-256", client.AuthenticationMechanisms);
        Assert.DoesNotContain("SCRAM-SHA-256-PLUS", client.AuthenticationMechanisms);
        Assert.True((client.Capabilities & Pop3Capabilities.StartTLS) != 0);
        await Assert.ThrowsAsync<AuthenticationException>(() =>
            client.AuthenticateAsync(new SaslMechanismPlain(new NetworkCredential(Pop3TlsServer.User, Pop3TlsServer.Password))));
    }

    [Fact]
    public async Task Plaintext_login_from_loopback_is_refused_when_no_network_is_trusted()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Server.Pop3Port);
        var stream = tcp.GetStream();
        Assert.StartsWith("+OK", await InMemoryConnection.ReadLineAsync(stream), StringComparison.Ordinal);
        await stream.WriteAsync("USER alice\r\nAUTH PLAIN AGFsaWNlAHRhbnN0YWFmIHRhbnN0YWFm\r\n"u8.ToArray());
        Assert.Equal("-ERR [AUTH] Plaintext login is not allowed on this connection", await InMemoryConnection.ReadLineAsync(stream));
        Assert.Equal("-ERR [AUTH] Plaintext login is not allowed on this connection", await InMemoryConnection.ReadLineAsync(stream));
    }

    [Fact]
    public async Task Commands_injected_after_stls_are_not_run_over_real_sockets()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Server.Pop3Port);
        var stream = tcp.GetStream();
        await InMemoryConnection.ReadLineAsync(stream);
        await stream.WriteAsync("STLS\r\nUSER alice\r\nCAPA\r\n"u8.ToArray());
        Assert.Equal("+OK Begin TLS negotiation now", await InMemoryConnection.ReadLineAsync(stream));

        await using var tls = await InMemoryConnection.ClientHandshakeAsync(stream, Server.Certificate.Certificate);
        await tls.WriteAsync("PASS tanstaaf tanstaaf\r\n"u8.ToArray());
        Assert.Equal("-ERR Send USER first", await InMemoryConnection.ReadLineAsync(tls));
    }

    [Fact]
    public async Task Poplib_stls_and_pop3_ssl_with_user_pass_plain_login_and_cram_md5()
    {
        var script = """
            import base64, hmac, poplib, ssl, sys
            port, sslport = int(sys.argv[1]), int(sys.argv[2])
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE

            p = poplib.POP3('127.0.0.1', port)
            assert 'USER' not in p.capa(), p.capa()
            p.stls(context)
            assert 'USER' in p.capa() and 'STLS' not in p.capa(), p.capa()
            p.user('alice'); p.pass_('tanstaaf tanstaaf')
            print('stls', p.stat()[0], p.sock.version())
            p.quit()

            p = poplib.POP3_SSL('127.0.0.1', sslport, context=context)
            print('plain', p._shortcmd('AUTH PLAIN ' + base64.b64encode(b'\0alice\0tanstaaf tanstaaf').decode()))
            p.quit()

            p = poplib.POP3_SSL('127.0.0.1', sslport, context=context)
            p._shortcmd('AUTH LOGIN')
            p._shortcmd(base64.b64encode(b'alice').decode())
            print('login', p._shortcmd(base64.b64encode(b'tanstaaf tanstaaf').decode()))
            p.quit()

            p = poplib.POP3_SSL('127.0.0.1', sslport, context=context)
            challenge = base64.b64decode(p._shortcmd('AUTH CRAM-MD5')[2:])
            digest = hmac.new(b'tanstaaf tanstaaf', challenge, 'md5').hexdigest()
            print('cram', p._shortcmd(base64.b64encode(b'alice ' + digest.encode()).decode()))
            p.quit()
            """;
        var (exitCode, output) = await ExternalProgram.RunAsync(
            "python3", ["-c", script, Server.Pop3Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Server.Pop3sPort.ToString(System.Globalization.CultureInfo.InvariantCulture)], "");
        Assert.True(exitCode == 0, output);
        Assert.Matches(@"stls 1 TLSv1\.[23]", output);
        Assert.Contains("plain b'+OK Logged in", output, StringComparison.Ordinal);
        Assert.Contains("login b'+OK Logged in", output, StringComparison.Ordinal);
        Assert.Contains("cram b'+OK Logged in", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TLSv1_2")]
    [InlineData("TLSv1_3")]
    public async Task Python_ssl_pop3s_resumes_a_session_and_is_greeted(string version)
    {
        // A resumed TLS 1.2 handshake ends with the client's Finished, so the server writes nothing once it is done:
        // the greeting must not be held as the handshake's tail (it was, once, and the client waited for ever).
        var script = """
            import socket, ssl, sys
            sslport, version = int(sys.argv[1]), getattr(ssl.TLSVersion, sys.argv[2])
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            context.minimum_version = context.maximum_version = version
            session = None
            for attempt in ('first', 'second'):
                sock = context.wrap_socket(socket.create_connection(('127.0.0.1', sslport), timeout=10), session=session)
                greeting = sock.recv(100)
                sock.sendall(b'QUIT\r\n')
                bye = sock.recv(100)
                print(attempt, sock.version(), 'reused' if sock.session_reused else 'full', greeting.split()[0], bye.split()[0])
                session = sock.session
                sock.close()
            """;
        var (exitCode, output) = await ExternalProgram.RunAsync(
            "python3", ["-c", script, Server.Pop3sPort.ToString(System.Globalization.CultureInfo.InvariantCulture), version], "");
        Assert.True(exitCode == 0, output);
        var name = version.Replace('_', '.');
        Assert.Contains($"first {name} full b'+OK' b'+OK'", output, StringComparison.Ordinal);
        Assert.Contains($"second {name} reused b'+OK' b'+OK'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Openssl_starttls_pop3_gets_a_fresh_capa_under_tls()
    {
        var (exitCode, output) = await ExternalProgram.RunAsync(
            "openssl",
            ["s_client", "-starttls", "pop3", "-connect", $"127.0.0.1:{Server.Pop3Port}", "-quiet", "-crlf", "-ign_eof"],
            "CAPA\nQUIT\n");
        Assert.True(exitCode == 0, output);
        Assert.Contains("USER\r\n", output, StringComparison.Ordinal);
        Assert.Contains("SASL SCRAM-SHA-256-PLUS SCRAM-SHA-256 CRAM-MD5 PLAIN LOGIN", output, StringComparison.Ordinal);
        Assert.DoesNotContain("STLS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Openssl_pop3s_gets_one_session_ticket_and_a_close_notify_after_quit()
    {
        // -msg prints each TLS message: the tickets after the handshake, and the alert that ends the connection.
        var (exitCode, output) = await ExternalProgram.RunAsync(
            "openssl",
            ["s_client", "-connect", $"127.0.0.1:{Server.Pop3sPort}", "-tls1_3", "-msg", "-ign_eof", "-crlf"],
            "QUIT\n");
        Assert.True(exitCode == 0, output);
        Assert.Contains("+OK", output, StringComparison.Ordinal);
        Assert.Single(output.Split('\n'), line => line.StartsWith("<<< ", StringComparison.Ordinal) && line.Contains("NewSessionTicket", StringComparison.Ordinal));
        Assert.Contains("<<< TLS 1.3, Alert [length 0002], warning close_notify", output, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected eof", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Openssl_cannot_use_tls_1_1()
    {
        var (exitCode, _) = await ExternalProgram.RunAsync(
            "openssl", ["s_client", "-connect", $"127.0.0.1:{Server.Pop3sPort}", "-tls1_1", "-quiet"], "");
        Assert.NotEqual(0, exitCode);
    }

    private static Pop3Client NewMailKitClient() => new()
    {
        ServerCertificateValidationCallback = (_, _, _, _) => true,
        CheckCertificateRevocation = false,
    };
}
