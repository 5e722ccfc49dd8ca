using MailKit.Net.Pop3;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Postino.Server.Auth;
using Postino.Server.Hosting;
using Postino.Server.Pop3;
using Postino.Server.Tests.Fakes;
using Postino.Storage;

namespace Postino.Server.Tests.Hosting;

/// <summary>MailKit's Pop3Client against the running server over a real socket.</summary>
public class MailKitPop3Tests
{
    [Fact]
    public async Task MailKit_lists_retrieves_tops_deletes_and_quits()
    {
        var store = new MemoryMailStore();
        var authenticator = new FakeAuthenticator();
        authenticator.Passwords["alice"] = "pw with spaces";
        store.Mailbox("alice").Add("u1", "From: a@example.org\nSubject: one\n\n.dot\nbody\n");
        store.Mailbox("alice").Add("u2", "From: b@example.org\nSubject: two\n\nsecond\n");
        var builder = new PostinoServerBuilder(new PostinoServerOptions { HostName = "test.example" });
        builder.Services.AddSingleton<IMailStore>(store);
        builder.Services.AddSingleton<IPasswordAuthenticator>(authenticator);
        builder.AddPop3(new Pop3Options { Listen = "127.0.0.1:0", LoginDelaySeconds = 0 });
        await using var server = builder.Build();
        await server.StartAsync();
        using var client = new Pop3Client();

        await client.ConnectAsync("127.0.0.1", server.GetBoundPort("pop3"), SecureSocketOptions.None);
        await client.AuthenticateAsync("alice", "pw with spaces");
        var uids = await client.GetMessageUidsAsync();
        var sizes = await client.GetMessageSizesAsync();
        var message = await client.GetMessageAsync(0);
        var headers = await client.GetMessageHeadersAsync(1);
        await client.DeleteMessageAsync(1);
        await client.DisconnectAsync(quit: true);

        Assert.True(client.Capabilities.HasFlag(MailKit.Net.Pop3.Pop3Capabilities.Pipelining));
        Assert.True(client.Capabilities.HasFlag(MailKit.Net.Pop3.Pop3Capabilities.UIDL));
        Assert.True(client.Capabilities.HasFlag(MailKit.Net.Pop3.Pop3Capabilities.Top));
        Assert.True(client.Capabilities.HasFlag(MailKit.Net.Pop3.Pop3Capabilities.ResponseCodes));
        Assert.Equal("Postino", client.Implementation);
        Assert.Equal(["u1", "u2"], uids);
        Assert.Equal([store.Mailbox("alice").Messages[0].Size, 45], sizes.Select(s => (long)s));
        Assert.Equal("one", message.Subject);
        Assert.Equal(".dot\nbody\n", message.TextBody?.ReplaceLineEndings("\n"));
        Assert.Equal("two", headers["Subject"]);
        Assert.Equal(["u2"], store.Mailbox("alice").DeletedUidls);
    }
}
