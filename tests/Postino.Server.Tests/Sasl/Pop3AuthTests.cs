using System.Net;
using System.Text;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Postino.Server.Auth;
using Postino.Server.Pop3;
using Postino.Server.Pop3.Sasl;
using Postino.Server.Pop3.Tls;
using Postino.Server.Sasl;
using Postino.Server.Tests.Pop3;
using Postino.Server.Tls;
using Postino.Storage.Users.Schemes;

namespace Postino.Server.Tests.Sasl;

/// <summary>AUTH (RFC 5034) in the POP3 session, over in-memory pipes.</summary>
public class Pop3AuthTests
{
    private const string Password = "tanstaaf tanstaaf";

    [Fact]
    public async Task Bare_auth_lists_the_mechanisms_for_this_connection()
    {
        await using var host = NewHost(PlaintextAuthPolicy.TlsRequired);
        var connection = await ConnectAsync(host);
        await connection.SendAsync("AUTH\r\n");
        Assert.Equal("+OK List of SASL mechanisms follows\r\n", await connection.ReadLineAsync());
        Assert.Equal("SCRAM-SHA-256\r\n", await connection.ReadLineAsync());
        Assert.Equal("CRAM-MD5\r\n", await connection.ReadLineAsync());
        Assert.Equal(".\r\n", await connection.ReadLineAsync());
    }

    [Fact]
    public async Task Capa_sasl_line_hides_plaintext_mechanisms_on_unencrypted_untrusted_connections()
    {
        await using var untrusted = NewHost(PlaintextAuthPolicy.TlsRequired);
        var connection = await ConnectAsync(untrusted);
        Assert.Contains("SASL SCRAM-SHA-256 CRAM-MD5", await Pop3StlsTestsCapa(connection));

        await using var trusted = NewHost(PlaintextAuthPolicy.AlwaysAllowed);
        var trustedConnection = await ConnectAsync(trusted);
        Assert.Contains("SASL SCRAM-SHA-256 CRAM-MD5 PLAIN LOGIN", await Pop3StlsTestsCapa(trustedConnection));
    }

    [Fact]
    public async Task Auth_plain_refused_without_tls_from_an_untrusted_address()
    {
        await using var host = NewHost(PlaintextAuthPolicy.TlsRequired);
        var connection = await ConnectAsync(host);
        await connection.SendAsync("AUTH PLAIN AGFsaWNlAHRhbnN0YWFmIHRhbnN0YWFm\r\n");
        Assert.Equal("-ERR [AUTH] Plaintext login is not allowed on this connection\r\n", await connection.ReadLineAsync());
        Assert.Empty(host.Authenticator.Attempts);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(512)]
    public async Task Plain_with_and_without_initial_response_at_any_chunk_size(int chunkSize)
    {
        await using var host = NewHost(PlaintextAuthPolicy.AlwaysAllowed);
        var connection = await ConnectAsync(host);
        var message = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0alice\0" + Password));

        await connection.SendAsync($"AUTH PLAIN\r\n{message}\r\n", chunkSize);
        Assert.Equal("+ \r\n", await connection.ReadLineAsync());
        Assert.StartsWith("+OK Logged in", await connection.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal(Pop3States.Transaction, connection.Session.State);
    }

    [Fact]
    public async Task Login_mechanism_with_pipelined_lines()
    {
        await using var host = NewHost(PlaintextAuthPolicy.AlwaysAllowed);
        var connection = await ConnectAsync(host);
        await connection.SendAsync($"AUTH LOGIN\r\n{B64("alice")}\r\n{B64(Password)}\r\nSTAT\r\n");
        Assert.Equal("+ VXNlcm5hbWU6\r\n", await connection.ReadLineAsync());
        Assert.Equal("+ UGFzc3dvcmQ6\r\n", await connection.ReadLineAsync());
        Assert.StartsWith("+OK Logged in", await connection.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("+OK 1 ", await connection.ReadLineAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Star_cancels_and_the_session_stays_in_step()
    {
        await using var host = NewHost(PlaintextAuthPolicy.AlwaysAllowed);
        var connection = await ConnectAsync(host);
        await connection.SendAsync("AUTH LOGIN\r\n*\r\nUSER alice\r\n");
        Assert.Equal("+ VXNlcm5hbWU6\r\n", await connection.ReadLineAsync());
        Assert.Equal("-ERR Authentication cancelled\r\n", await connection.ReadLineAsync());
        Assert.Equal("+OK Send your password\r\n", await connection.ReadLineAsync());
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("USER alice")]
    [InlineData("YWxp Y2U=")]
    public async Task Malformed_base64_fails_the_exchange_and_the_session_stays_in_step(string line)
    {
        await using var host = NewHost(PlaintextAuthPolicy.AlwaysAllowed);
        var connection = await ConnectAsync(host);
        await connection.SendAsync($"AUTH LOGIN\r\n{line}\r\nUSER alice\r\n");
        Assert.Equal("+ VXNlcm5hbWU6\r\n", await connection.ReadLineAsync());
        Assert.Equal("-ERR Invalid authentication data\r\n", await connection.ReadLineAsync());
        Assert.Equal("+OK Send your password\r\n", await connection.ReadLineAsync());
        Assert.Empty(host.Authenticator.Attempts);
    }

    [Fact]
    public async Task Malformed_initial_response_is_refused_at_once()
    {
        await using var host = NewHost(PlaintextAuthPolicy.AlwaysAllowed);
        var connection = await ConnectAsync(host);
        await connection.SendAsync("AUTH PLAIN ***\r\nCAPA\r\n");
        Assert.Equal("-ERR Invalid authentication data\r\n", await connection.ReadLineAsync());
        Assert.StartsWith("+OK Capability list follows", await connection.ReadLineAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_long_response_line_fails_the_exchange()
    {
        await using var host = NewHost(PlaintextAuthPolicy.AlwaysAllowed);
        var connection = await ConnectAsync(host);
        await connection.SendAsync($"AUTH PLAIN\r\n{new string('A', 4000)}\r\nUSER alice\r\n");
        Assert.Equal("+ \r\n", await connection.ReadLineAsync());
        Assert.Equal("-ERR Invalid authentication data\r\n", await connection.ReadLineAsync());
        Assert.Equal("+OK Send your password\r\n", await connection.ReadLineAsync());
    }

    [Theory]
    [InlineData("GSSAPI")]
    [InlineData("SCRAM-SHA-256-PLUS")]
    public async Task Unknown_or_unavailable_mechanism(string mechanism)
    {
        await using var host = NewHost(PlaintextAuthPolicy.AlwaysAllowed);
        var connection = await ConnectAsync(host);
        await connection.SendAsync($"AUTH {mechanism}\r\n");
        Assert.Equal("-ERR Unsupported authentication mechanism\r\n", await connection.ReadLineAsync());
    }

    [Fact]
    public async Task Wrong_password_is_an_auth_error()
    {
        await using var host = NewHost(PlaintextAuthPolicy.AlwaysAllowed);
        var connection = await ConnectAsync(host);
        await connection.SendAsync($"AUTH PLAIN {B64("\0alice\0wrong")}\r\n");
        Assert.Equal("-ERR [AUTH] Authentication failed\r\n", await connection.ReadLineAsync());
    }

    [Theory]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("CRAM-MD5")]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    public async Task MailKit_mechanisms_log_in_through_the_session(string mechanism)
    {
        await using var host = NewHost(PlaintextAuthPolicy.AlwaysAllowed);
        var connection = await ConnectAsync(host);
        var credential = new NetworkCredential("alice", Password);
        SaslMechanism client = mechanism switch
        {
            "PLAIN" => new SaslMechanismPlain(credential),
            "LOGIN" => new SaslMechanismLogin(credential),
            "CRAM-MD5" => new SaslMechanismCramMd5(credential),
            _ => new SaslMechanismScramSha256(credential),
        };

        var initial = client.SupportsInitialResponse ? " " + client.Challenge(null, CancellationToken.None) : "";
        await connection.SendAsync($"AUTH {mechanism}{initial}\r\n");
        var line = await connection.ReadLineAsync();
        while (line.StartsWith("+ ", StringComparison.Ordinal))
        {
            await connection.SendAsync(client.Challenge(line[2..].TrimEnd(), CancellationToken.None) + "\r\n");
            line = await connection.ReadLineAsync();
        }

        Assert.StartsWith("+OK Logged in", line, StringComparison.Ordinal);
        Assert.True(client.IsAuthenticated);
    }

    internal static Pop3TestHost NewHost(PlaintextAuthPolicy plaintext)
    {
        var host = new Pop3TestHost();
        host.AddUser("alice", Password);
        host.Store.Mailbox("alice").Add("u1", "A: b\n\nbody line\n");
        host.Configure = services =>
        {
            services.AddPop3Tls(settings: null, plaintext);
            services.AddSingleton(sp =>
            {
                var lookup = new SecretLookup(host.Directory);
                return new SaslAuthenticator(
                    Pop3TestHost.HostName, host.Authenticator, lookup, lookup, new RecordingLoginPolicy(), host.Directory);
            });
            services.AddPop3Sasl();
        };
        return host;
    }

    private static async Task<Pop3TestConnection> ConnectAsync(Pop3TestHost host)
    {
        var connection = host.Connect();
        Assert.StartsWith("+OK", await connection.ReadLineAsync(), StringComparison.Ordinal);
        return connection;
    }

    private static Task<List<string>> Pop3StlsTestsCapa(Pop3TestConnection connection) =>
        Tls.Pop3StlsTests.CapaAsync(connection.ReadLineAsync, text => connection.SendAsync(text));

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
