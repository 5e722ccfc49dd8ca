using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Postino.Fetch.Pop3;
using Postino.Fetch.Protocol;

namespace Postino.Fetch.Tests.Protocol;

/// <summary>STLS and implicit TLS against a minimal in-process server with a self-signed certificate.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly X509Certificate2 _certificate = CreateCertificate();

    public void Dispose() => _certificate.Dispose();

    [Fact]
    public async Task Self_signed_certificate_is_refused_by_default()
    {
        await using var server = await FakeTlsPop3Server.StartAsync(_certificate, implicitTls: true);

        await Assert.ThrowsAsync<MailTlsException>(() => Pop3Client.ConnectAsync(
            "127.0.0.1", server.Port, TlsMode.Implicit, new TlsOptions(), null, CancellationToken.None));
    }

    [Fact]
    public async Task Insecure_accepts_a_self_signed_certificate_over_implicit_tls()
    {
        await using var server = await FakeTlsPop3Server.StartAsync(_certificate, implicitTls: true);

        await using var client = await Pop3Client.ConnectAsync(
            "127.0.0.1", server.Port, TlsMode.Implicit, new TlsOptions { Insecure = true }, null, CancellationToken.None);

        Assert.True(client.IsSecure);
        Assert.True(client.Capabilities.Uidl);
    }

    [Fact]
    public async Task Pinned_fingerprint_accepts_that_certificate_over_stls_and_drops_injected_plaintext()
    {
        await using var server = await FakeTlsPop3Server.StartAsync(_certificate, implicitTls: false);
        var pin = Convert.ToHexString(SHA256.HashData(_certificate.RawData)).ToLowerInvariant();

        await using var client = await Pop3Client.ConnectAsync(
            "127.0.0.1", server.Port, TlsMode.StartTls, new TlsOptions { Sha256Fingerprint = pin }, null, CancellationToken.None);

        Assert.True(client.IsSecure);
        Assert.True(client.Capabilities.Uidl);
        Assert.False(client.Capabilities.StartTls);
    }

    [Fact]
    public async Task Wrong_fingerprint_is_refused_even_with_insecure()
    {
        await using var server = await FakeTlsPop3Server.StartAsync(_certificate, implicitTls: false);
        var wrong = string.Join(':', Enumerable.Repeat("AB", 32));

        await Assert.ThrowsAsync<MailTlsException>(() => Pop3Client.ConnectAsync(
            "127.0.0.1", server.Port, TlsMode.StartTls, new TlsOptions { Sha256Fingerprint = wrong, Insecure = true }, null,
            CancellationToken.None));
    }

    [Fact]
    public async Task Stls_is_used_whenever_offered_so_the_password_never_goes_in_clear()
    {
        await using var server = await FakeTlsPop3Server.StartAsync(_certificate, implicitTls: false);

        await using var client = await Pop3Client.ConnectAsync(
            "127.0.0.1", server.Port, TlsMode.StartTlsIfOffered, new TlsOptions { Insecure = true }, null, CancellationToken.None);
        await client.AuthenticateAsync("alice", "secret", Pop3AuthMethod.UserPass, CancellationToken.None);

        Assert.True(client.IsSecure);
        Assert.Contains("STLS", server.PlaintextLines);
        Assert.DoesNotContain(server.PlaintextLines, l => l.StartsWith("USER", StringComparison.Ordinal) || l.StartsWith("PASS", StringComparison.Ordinal));
        Assert.Contains("PASS secret", server.TlsLines);
    }

    [Fact]
    public async Task Offered_stls_is_verified_like_pop3s()
    {
        await using var server = await FakeTlsPop3Server.StartAsync(_certificate, implicitTls: false);

        await Assert.ThrowsAsync<MailTlsException>(() => Pop3Client.ConnectAsync(
            "127.0.0.1", server.Port, TlsMode.StartTlsIfOffered, new TlsOptions(), null, CancellationToken.None));
        Assert.DoesNotContain(server.PlaintextLines, l => l.StartsWith("USER", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Offered_stls_then_refused_stops_instead_of_going_on_in_clear()
    {
        await using var server = await FakeTlsPop3Server.StartAsync(_certificate, implicitTls: false, refuseStls: true);

        await Assert.ThrowsAsync<MailTlsException>(() => Pop3Client.ConnectAsync(
            "127.0.0.1", server.Port, TlsMode.StartTlsIfOffered, new TlsOptions { Insecure = true }, null, CancellationToken.None));
    }

    [Fact]
    public async Task No_tls_mode_stays_in_plain_text_even_when_stls_is_offered()
    {
        await using var server = await FakeTlsPop3Server.StartAsync(_certificate, implicitTls: false);

        await using var client = await Pop3Client.ConnectAsync(
            "127.0.0.1", server.Port, TlsMode.None, new TlsOptions(), null, CancellationToken.None);

        Assert.False(client.IsSecure);
        Assert.True(client.Capabilities.StartTls);
        Assert.DoesNotContain("STLS", server.PlaintextLines);
    }

    [Theory]
    [InlineData("zz")]
    [InlineData("AB:CD")]
    public void Malformed_fingerprint_is_rejected_up_front(string fingerprint) =>
        Assert.Throws<ArgumentException>(() => TlsConnector.NormalizeFingerprint(fingerprint));

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Serves one connection: greeting, CAPA (with STLS before TLS), STLS, CAPA, then closes.</summary>
    private sealed class FakeTlsPop3Server : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly bool _refuseStls;
        private readonly Task _serving;

        private FakeTlsPop3Server(TcpListener listener, X509Certificate2 certificate, bool implicitTls, bool refuseStls)
        {
            _listener = listener;
            _refuseStls = refuseStls;
            _serving = ServeAsync(certificate, implicitTls);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        /// <summary>Command lines received before TLS started.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<string> PlaintextLines { get; } = new();

        /// <summary>Command lines received over TLS.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<string> TlsLines { get; } = new();

        public static Task<FakeTlsPop3Server> StartAsync(X509Certificate2 certificate, bool implicitTls, bool refuseStls = false)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return Task.FromResult(new FakeTlsPop3Server(listener, certificate, implicitTls, refuseStls));
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try
            {
                await _serving;
            }
            catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException
                or System.Security.Authentication.AuthenticationException)
            {
                // The client gave up on the handshake, as some tests want.
            }
        }

        private async Task ServeAsync(X509Certificate2 certificate, bool implicitTls)
        {
            using var socket = await _listener.AcceptSocketAsync();
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (implicitTls)
            {
                stream = await StartTlsAsync(stream, certificate);
            }

            await WriteAsync(stream, "+OK fake ready\r\n");
            while (await ReadLineAsync(stream) is { } line)
            {
                var secure = stream is SslStream;
                (secure ? TlsLines : PlaintextLines).Enqueue(line);
                switch (line)
                {
                    case "CAPA":
                        await WriteAsync(stream, secure ? "+OK\r\nUIDL\r\n.\r\n" : "+OK\r\nUIDL\r\nSTLS\r\n.\r\n");
                        break;
                    case "STLS" when _refuseStls:
                        await WriteAsync(stream, "-ERR not today\r\n");
                        break;
                    case "STLS":
                        // The injected line must be thrown away by the client, never read as a TLS-protected reply.
                        await WriteAsync(stream, "+OK Begin TLS\r\n-ERR injected\r\n");
                        stream = await StartTlsAsync(stream, certificate);
                        break;
                    case var user when user.StartsWith("USER ", StringComparison.Ordinal):
                        await WriteAsync(stream, "+OK\r\n");
                        break;
                    default:
                        await WriteAsync(stream, "+OK\r\n");
                        return;
                }
            }
        }

        private static async Task<Stream> StartTlsAsync(Stream inner, X509Certificate2 certificate)
        {
            var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsServerAsync(certificate);
            return ssl;
        }

        private static async Task WriteAsync(Stream stream, string text)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(text));
            await stream.FlushAsync();
        }

        private static async Task<string?> ReadLineAsync(Stream stream)
        {
            var line = new StringBuilder();
            var one = new byte[1];
            while (await stream.ReadAsync(one) == 1)
            {
                if (one[0] == '\n')
                {
                    return line.ToString().TrimEnd('\r');
                }

                line.Append((char)one[0]);
            }

            return null;
        }
    }
}
