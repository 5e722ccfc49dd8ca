using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Postino.Interop.Tests;

/// <summary>A certificate per listener: POP3S can present another certificate than the global one STLS uses.</summary>
public class ListenerCertificateTests
{
    [Fact]
    public async Task Pop3s_presents_its_own_certificate_and_the_plain_listener_still_offers_stls()
    {
        var folder = Directory.CreateTempSubdirectory("postino-certs-").FullName;
        try
        {
            var (certificate, key) = WritePem(folder, "pop3s.example.test");
            var config = Path.Combine(folder, "postino.json");
            await File.WriteAllTextAsync(config, $$"""
                { "Pop3s": { "CertificateFile": "{{certificate}}", "PrivateKeyFile": "{{key}}" } }
                """);
            await using var server = await PostinoProcess.StartAsync("--config", config);

            Assert.Equal("CN=pop3s.example.test", await ImplicitTlsSubjectAsync(server.Port("pop3s")));

            using var plain = await LineClient.ConnectAsync(server.Port("pop3"));
            Assert.StartsWith("+OK", await plain.ReadLineAsync(), StringComparison.Ordinal);
            Assert.StartsWith("+OK", await plain.CommandAsync("STLS"), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Smtp_starttls_presents_its_own_certificate()
    {
        var folder = Directory.CreateTempSubdirectory("postino-certs-").FullName;
        try
        {
            var (certificate, key) = WritePem(folder, "smtp.example.test");
            var config = Path.Combine(folder, "postino.json");
            await File.WriteAllTextAsync(config, $$"""
                { "Smtp": { "CertificateFile": "{{certificate}}", "PrivateKeyFile": "{{key}}" } }
                """);
            await using var server = await PostinoProcess.StartAsync("--config", config);
            string? subject = null;
            using var client = new SmtpClient
            {
                ServerCertificateValidationCallback = (_, cert, _, _) =>
                {
                    subject = cert?.Subject;
                    return true;
                },
            };
            await client.ConnectAsync("127.0.0.1", server.Port("smtp"), SecureSocketOptions.StartTls);
            Assert.True(client.IsSecure);
            await client.DisconnectAsync(quit: true);
            Assert.Equal("CN=smtp.example.test", subject);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> ImplicitTlsSubjectAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        string? subject = null;
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, cert, _, _) =>
        {
            subject = cert?.Subject;
            return true;
        });
        await tls.AuthenticateAsClientAsync("pop3s.example.test");
        using var reader = new StreamReader(tls);
        Assert.StartsWith("+OK", await reader.ReadLineAsync(), StringComparison.Ordinal);
        return subject ?? "";
    }

    private static (string Certificate, string Key) WritePem(string folder, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certificatePath = Path.Combine(folder, "pop3s-cert.pem");
        var keyPath = Path.Combine(folder, "pop3s-key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
