using System.Net.Security;
using Microsoft.Extensions.DependencyInjection;
using Postino.Server.Pop3;
using Postino.Server.Pop3.Tls;
using Postino.Server.Tests.Pop3;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Tls;

/// <summary>STLS in the POP3 session (RFC 2595), over in-memory pipes, from a non-trusted address (192.0.2.7).</summary>
public class Pop3StlsTests
{
    private const string Password = "s3cret pass phrase";
    private static readonly TlsCertificate Certificate = TestCertificates.SelfSigned();

    [Fact]
    public async Task Plain_capa_offers_stls_but_no_plaintext_login()
    {
        await using var host = NewHost();
        var connection = await ConnectAsync(host);
        var capabilities = await CapaAsync(connection.ReadLineAsync, text => connection.SendAsync(text));
        Assert.Contains("STLS", capabilities);
        Assert.DoesNotContain("USER", capabilities);

        await connection.SendAsync("USER alice\r\n");
        Assert.Equal("-ERR [AUTH] Plaintext login is not allowed on this connection\r\n", await connection.ReadLineAsync());
    }

    [Fact]
    public async Task After_stls_capa_is_fresh_and_plaintext_login_works()
    {
        await using var host = NewHost();
        var connection = await ConnectAsync(host);
        await connection.SendAsync("STLS\r\n");
        Assert.Equal("+OK Begin TLS negotiation now\r\n", await connection.ReadLineAsync());
        await using var tls = await HandshakeAsync(connection);

        var capabilities = await CapaAsync(() => InMemoryConnection.ReadLineAsync(tls).ContinueWith(t => t.Result + "\r\n"), text => SendAsync(tls, text));
        Assert.DoesNotContain("STLS", capabilities);
        Assert.Contains("USER", capabilities);

        await SendAsync(tls, $"USER alice\r\nPASS {Password}\r\n");
        Assert.Equal("+OK Send your password", await InMemoryConnection.ReadLineAsync(tls));
        Assert.StartsWith("+OK Logged in", await InMemoryConnection.ReadLineAsync(tls), StringComparison.Ordinal);
        Assert.Equal(Pop3States.Transaction, connection.Session.State);
        Assert.True(connection.Session.IsSecure);
    }

    [Fact]
    public async Task Commands_pipelined_after_stls_are_not_run()
    {
        await using var host = NewHost();
        var connection = await ConnectAsync(host);

        // If CAPA or QUIT ran, their plaintext replies would come before the handshake and break it.
        await connection.SendAsync("STLS\r\nCAPA\r\nQUIT\r\n");
        Assert.Equal("+OK Begin TLS negotiation now\r\n", await connection.ReadLineAsync());
        await using var tls = await HandshakeAsync(connection);

        await SendAsync(tls, "PASS x\r\n");
        Assert.Equal("-ERR Send USER first", await InMemoryConnection.ReadLineAsync(tls));
        Assert.Equal(Pop3SessionEnd.None, connection.Session.End);
    }

    [Fact]
    public async Task Stls_under_tls_is_refused()
    {
        await using var host = NewHost();
        var connection = await ConnectAsync(host);
        await connection.SendAsync("STLS\r\n");
        await connection.ReadLineAsync();
        await using var tls = await HandshakeAsync(connection);

        await SendAsync(tls, "STLS\r\n");
        Assert.Equal("-ERR TLS is already active", await InMemoryConnection.ReadLineAsync(tls));
    }

    [Fact]
    public async Task Failed_handshake_ends_the_session()
    {
        await using var host = NewHost();
        var connection = await ConnectAsync(host);
        await connection.SendAsync("STLS\r\n");
        await connection.ReadLineAsync();
        await connection.SendAsync("USER alice\r\nPASS x\r\n");
        await connection.Completion;
        Assert.Equal(Pop3SessionEnd.UpgradeFailed, connection.Session.End);
    }

    [Fact]
    public async Task Without_certificate_stls_is_neither_offered_nor_known()
    {
        await using var host = NewHost(new TlsServerSettings(new FixedCertificateProvider(null)));
        var connection = await ConnectAsync(host);
        Assert.DoesNotContain("STLS", await CapaAsync(connection.ReadLineAsync, text => connection.SendAsync(text)));
        await connection.SendAsync("STLS\r\n");
        Assert.Equal("-ERR Unknown command\r\n", await connection.ReadLineAsync());
    }

    [Fact]
    public async Task Logout_line_names_tls_version_and_cipher()
    {
        await using var host = NewHost();
        var connection = await ConnectAsync(host);
        await connection.SendAsync("STLS\r\n");
        await connection.ReadLineAsync();
        var tls = await HandshakeAsync(connection);
        await SendAsync(tls, "QUIT\r\n");
        Assert.StartsWith("+OK", await InMemoryConnection.ReadLineAsync(tls), StringComparison.Ordinal);
        await connection.Completion;

        var expected = new TlsConnectionInfo(tls.SslProtocol, tls.NegotiatedCipherSuite, null).ToString();
        Assert.Contains(host.Logs.Lines, line => line.Contains("pop3 logout:", StringComparison.Ordinal)
            && line.Contains("tls=" + expected, StringComparison.Ordinal));
        await tls.DisposeAsync();
    }

    internal static Pop3TestHost NewHost(TlsServerSettings? settings = null, PlaintextAuthPolicy? plaintext = null)
    {
        var host = new Pop3TestHost();
        host.AddUser("alice", Password);
        host.Store.Mailbox("alice").Add("u1", "A: b\n\nbody line\n");
        host.Configure = services => services.AddPop3Tls(
            settings ?? new TlsServerSettings(new FixedCertificateProvider(Certificate)), plaintext ?? PlaintextAuthPolicy.LoopbackTrusted);
        return host;
    }

    internal static async Task<Pop3TestConnection> ConnectAsync(Pop3TestHost host)
    {
        var connection = host.Connect();
        Assert.StartsWith("+OK", await connection.ReadLineAsync(), StringComparison.Ordinal);
        return connection;
    }

    internal static Task<SslStream> HandshakeAsync(Pop3TestConnection connection) =>
        InMemoryConnection.ClientHandshakeAsync(new TestConnectionStream(connection), Certificate.Certificate);

    internal static async Task SendAsync(SslStream tls, string text)
    {
        await tls.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text));
        await tls.FlushAsync();
    }

    /// <summary>CAPA's lines between "+OK" and ".", without line ends.</summary>
    internal static async Task<List<string>> CapaAsync(Func<Task<string>> readLine, Func<string, Task> send)
    {
        await send("CAPA\r\n");
        Assert.StartsWith("+OK", await readLine(), StringComparison.Ordinal);
        var lines = new List<string>();
        for (var line = (await readLine()).TrimEnd(); line != "."; line = (await readLine()).TrimEnd())
        {
            lines.Add(line);
        }

        return lines;
    }
}
