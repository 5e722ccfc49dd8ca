using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Postino.Server.Auth;
using Postino.Server.Hosting;
using Postino.Server.Pop2;
using Postino.Server.Pop3;
using Postino.Storage;
using Postino.Storage.Maildir;

namespace Postino.Fetch.Tests.OwnServers;

/// <summary>Postino's own POP3 and POP2 servers on free loopback ports, over a real Maildir store.</summary>
internal sealed class PostinoTestServer : IAsyncDisposable
{
    public const string User = "alice";
    public const string Password = "pass word";

    private readonly PostinoServer _server;

    private PostinoTestServer(PostinoServer server, MaildirStore store, RecordingAuthenticator authenticator)
    {
        _server = server;
        Store = store;
        Authenticator = authenticator;
    }

    public MaildirStore Store { get; }

    /// <summary>Knows <see cref="User"/>; more users can be added, and every attempt is recorded.</summary>
    public RecordingAuthenticator Authenticator { get; }

    public int Pop3Port => _server.GetBoundPort("pop3");

    public int Pop2Port => _server.GetBoundPort("pop2");

    public static async Task<PostinoTestServer> StartAsync(string dataDirectory)
    {
        var store = new MaildirStore(new MaildirStoreOptions { DataDirectory = dataDirectory });
        var authenticator = new RecordingAuthenticator();
        authenticator.AddUser(User, Password);
        var builder = new PostinoServerBuilder(new PostinoServerOptions { HostName = "postino.test" });
        builder.Services.AddSingleton<IMailStore>(store);
        builder.Services.AddSingleton<IPasswordAuthenticator>(authenticator);
        builder.AddPop3(new Pop3Options { Listen = "127.0.0.1:0" });
        builder.Services.AddPop2();
        builder.AddListener<Pop2ConnectionHandler>("pop2", "127.0.0.1:0");
        var server = builder.Build();
        await server.StartAsync();
        return new PostinoTestServer(server, store, authenticator);
    }

    public Task DeliverAsync(string content) => DeliverAsync(User, Encoding.UTF8.GetBytes(content));

    public async Task DeliverAsync(string user, byte[] content)
    {
        using var message = new MemoryStream(content);
        await Store.DeliverAsync(user, message, CancellationToken.None);
    }

    public Task<int> CountAsync() => CountAsync(User);

    public async Task<int> CountAsync(string user)
    {
        await using var maildrop = await Store.OpenAsync(user, null, CancellationToken.None);
        return maildrop.Messages.Count;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
    }
}
