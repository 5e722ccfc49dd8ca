using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Postino.Server.Tests.Delivery;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Smtp;

/// <summary>STARTTLS over a real socket and a real handshake: plaintext pipelined after it is never acted on.</summary>
public sealed class StartTlsInjectionSocketTests
{
    [Fact]
    public async Task Plaintext_pipelined_after_starttls_never_runs_and_the_handshake_still_succeeds()
    {
        var certificate = SelfSignedCertificate.Create("localhost", DateTimeOffset.UtcNow, TimeSpan.FromDays(1));
        await using var host = await MailTransferTestHost.StartAsync(tls: new TlsServerSettings(new FixedCertificateProvider(certificate)));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, host.SmtpPort);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var plain = tcp.GetStream();

        Assert.StartsWith("220 ", await ReadReplyAsync(plain, timeout.Token), StringComparison.Ordinal);
        await plain.WriteAsync("EHLO c.test\r\n"u8.ToArray(), timeout.Token);
        Assert.Contains("250 STARTTLS", await ReadReplyAsync(plain, timeout.Token), StringComparison.Ordinal);

        await plain.WriteAsync("STARTTLS\r\nMAIL FROM:<injected@evil.test>\r\nRCPT TO:<alice@example.org>\r\n"u8.ToArray(), timeout.Token);
        Assert.Equal("220 2.0.0 Ready to start TLS\r\n", await ReadReplyAsync(plain, timeout.Token));

        await using var tls = new SslStream(plain, leaveInnerStreamOpen: true, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, timeout.Token);

        // The session starts afresh: no greeting, no transaction, nothing left of the injected MAIL.
        await tls.WriteAsync("MAIL FROM:<a@b.test>\r\nQUIT\r\n"u8.ToArray(), timeout.Token);
        Assert.Equal("503 5.5.1 Say hello first\r\n", await ReadReplyAsync(tls, timeout.Token));
        Assert.Equal("221 2.0.0 Bye\r\n", await ReadReplyAsync(tls, timeout.Token));
        Assert.Empty(((MemoryMailStore)host.Store).Deliveries);
    }

    /// <summary>Reads one whole reply one octet at a time, so nothing of a following TLS handshake is consumed.</summary>
    private static async Task<string> ReadReplyAsync(Stream stream, CancellationToken cancellationToken)
    {
        var reply = new StringBuilder();
        var line = new StringBuilder();
        var octet = new byte[1];
        while (await stream.ReadAsync(octet, cancellationToken) == 1)
        {
            line.Append((char)octet[0]);
            if (octet[0] != '\n')
            {
                continue;
            }

            reply.Append(line);
            var done = line.Length < 4 || line[3] != '-';
            line.Clear();
            if (done)
            {
                break;
            }
        }

        return reply.ToString();
    }
}
