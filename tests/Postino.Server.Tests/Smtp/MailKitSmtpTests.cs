using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Postino.Server.Hosting;
using Postino.Server.Tests.Delivery;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Smtp;

/// <summary>MailKit's SmtpClient over a real socket; the open-relay checks.</summary>
public sealed class MailKitSmtpTests
{
    [Fact]
    public async Task Foreign_sender_to_a_local_user_is_accepted_with_trace_headers()
    {
        await using var host = await MailTransferTestHost.StartAsync();
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", host.SmtpPort, SecureSocketOptions.None);

        await client.SendAsync(Message("alice@example.org", "carol@example.org"));
        await client.DisconnectAsync(quit: true);

        var store = (MemoryMailStore)host.Store;
        Assert.Equal(["alice", "carol@example.org"], store.Deliveries.Select(d => d.User).Order());
        var delivered = MimeMessage.Load(new MemoryStream(store.Deliveries.First().Message));
        Assert.Equal("<sender@remote.test>", delivered.Headers[HeaderId.ReturnPath]);
        Assert.StartsWith("from ", delivered.Headers[HeaderId.Received], StringComparison.Ordinal);
        Assert.Contains("[127.0.0.1]", delivered.Headers[HeaderId.Received], StringComparison.Ordinal);
        Assert.Contains("by mx.test (Postino) with ESMTP", delivered.Headers[HeaderId.Received], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starttls_with_the_server_certificate_then_delivery()
    {
        var certificate = SelfSignedCertificate.Create("localhost", DateTimeOffset.UtcNow, TimeSpan.FromDays(1));
        await using var host = await MailTransferTestHost.StartAsync(tls: new TlsServerSettings(new FixedCertificateProvider(certificate)));
        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", host.SmtpPort, SecureSocketOptions.StartTls);

        Assert.True(client.IsSecure);
        await client.SendAsync(Message("alice@example.org"));
        await client.DisconnectAsync(quit: true);

        var delivered = MimeMessage.Load(new MemoryStream(Assert.Single(((MemoryMailStore)host.Store).Deliveries).Message));
        Assert.Contains("with ESMTPS", delivered.Headers[HeaderId.Received], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_certificate_starttls_is_not_offered()
    {
        await using var host = await MailTransferTestHost.StartAsync();
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", host.SmtpPort, SecureSocketOptions.None);

        Assert.False(client.Capabilities.HasFlag(SmtpCapabilities.StartTLS));
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Pipelining));
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.UTF8));
        Assert.Equal(50u * 1024 * 1024, client.MaxSize);
    }

    [Fact]
    public async Task Foreign_recipient_is_refused_even_from_a_local_sender()
    {
        await using var host = await MailTransferTestHost.StartAsync();
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", host.SmtpPort, SecureSocketOptions.None);
        var message = Message("victim@foreign.test");
        message.From.Clear();
        message.From.Add(MailboxAddress.Parse("alice@example.org"));

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(message));

        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, error.ErrorCode);
        Assert.Equal(SmtpStatusCode.MailboxUnavailable, error.StatusCode);
        Assert.Contains("Relay access denied", error.Message, StringComparison.Ordinal);
        Assert.Empty(((MemoryMailStore)host.Store).Deliveries);
    }

    [Fact]
    public async Task Connections_past_the_per_address_limit_get_421()
    {
        await using var host = await MailTransferTestHost.StartAsync(smtpAdmission: new ConnectionAdmissionOptions { ConnectionsPerAddress = 1 });
        using var first = new SmtpClient();
        await first.ConnectAsync("127.0.0.1", host.SmtpPort, SecureSocketOptions.None);
        using var second = new SmtpClient();

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => second.ConnectAsync("127.0.0.1", host.SmtpPort, SecureSocketOptions.None));

        Assert.Equal(SmtpStatusCode.ServiceNotAvailable, error.StatusCode);
        await first.NoOpAsync();
    }

    private static MimeMessage Message(params string[] recipients)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("sender@remote.test"));
        foreach (var recipient in recipients)
        {
            message.To.Add(MailboxAddress.Parse(recipient));
        }

        message.Subject = "Postino test";
        message.Body = new TextPart("plain") { Text = "Gr\u00fc\u00dfe\r\n" };
        return message;
    }
}
