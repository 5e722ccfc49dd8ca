using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postino.Server.Auth;
using Postino.Server.Hosting;
using Postino.Server.Pop2;
using Postino.Server.Pop3;
using Postino.Server.Tls;
using Postino.Storage;

namespace Postino.Server.Tests.Pop2.Support;

/// <summary>
/// The real Postino host (Kestrel's connection layer) with a POP2 listener, and a POP3 listener when asked, on
/// 127.0.0.1 with ports chosen by the system.
/// </summary>
public sealed class Pop2TestServer : IAsyncDisposable
{
    private readonly PostinoServer _server;

    private Pop2TestServer(PostinoServer server) => _server = server;

    public int Port => _server.GetBoundPort("pop2");

    public int Pop3Port => _server.GetBoundPort("pop3");

    public static async Task<Pop2TestServer> StartAsync(
        IMailStore store,
        IPasswordAuthenticator authenticator,
        Action<Pop2Options>? configure = null,
        ConnectionAdmissionOptions? admission = null,
        bool withPop3 = false,
        PlaintextAuthPolicy? plaintext = null)
    {
        var builder = new PostinoServerBuilder(new PostinoServerOptions { HostName = "server.example" });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(authenticator);
        var options = new Pop2Options { Listen = "127.0.0.1:0", HostName = Pop2TestBed.HostName };
        configure?.Invoke(options);
        if (plaintext is not null)
        {
            builder.Services.AddSingleton(plaintext);
        }

        builder.Services.AddPop2(options);
        builder.AddListener<Pop2ConnectionHandler>("pop2", options.Listen, admission: admission);
        if (withPop3)
        {
            builder.AddPop3(new Pop3Options { Listen = "127.0.0.1:0" });
        }

        var server = builder.Build();
        await server.StartAsync();
        return new Pop2TestServer(server);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
    }
}
