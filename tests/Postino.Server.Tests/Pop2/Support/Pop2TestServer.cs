using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postino.Server.Auth;
using Postino.Server.Pop2;
using Postino.Server.Security;
using Postino.Storage;

namespace Postino.Server.Tests.Pop2.Support;

/// <summary>A real Kestrel POP2 listener on 127.0.0.1 with a port chosen by the system.</summary>
public sealed class Pop2TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ListenOptions _listen;

    private Pop2TestServer(WebApplication app, ListenOptions listen)
    {
        _app = app;
        _listen = listen;
    }

    public int Port => _listen.IPEndPoint!.Port;

    public static async Task<Pop2TestServer> StartAsync(
        IMailStore store,
        IPasswordAuthenticator authenticator,
        Action<Pop2Options>? configure = null,
        ConnectionLimiter? limiter = null,
        ILoggerProvider? logs = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(authenticator);
        if (limiter is not null)
        {
            builder.Services.AddSingleton(limiter);
        }

        builder.Services.AddPop2(options =>
        {
            options.HostName = Pop2TestBed.HostName;
            configure?.Invoke(options);
        });
        ListenOptions? listen = null;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, options =>
        {
            listen = options;
            options.UsePop2();
        }));
        var app = builder.Build();
        await app.StartAsync();
        return new Pop2TestServer(app, listen!);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
