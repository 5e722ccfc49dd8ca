using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Postino.Server.Hosting;
using Postino.Server.Lmtp;
using Postino.Server.Smtp;
using Postino.Server.Tls;
using Postino.Storage;
using Postino.Storage.Users;

namespace Postino.Server.Tests.Delivery;

/// <summary>
/// A real Kestrel host with LMTP on 127.0.0.1 and on a Unix socket, and SMTP on 127.0.0.1, all on free ports.
/// </summary>
internal sealed class MailTransferTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _directory = new();
    private ListenOptions? _lmtp;
    private ListenOptions? _smtp;

    private MailTransferTestHost(IMailStore store, IUserDirectory users, Action<LmtpOptions>? lmtp, Action<SmtpOptions>? smtp, TlsServerSettings? tls, ConnectionAdmissionOptions? smtpAdmission)
    {
        Store = store;
        UnixSocketPath = Path.Combine(_directory.Path, "lmtp.sock");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(users);
        if (tls is not null)
        {
            builder.Services.AddSingleton(tls);
        }
        builder.Services.AddPostinoLmtp(o =>
        {
            o.HostName = "mx.test";
            o.SpoolDirectory = Path.Combine(_directory.Path, "spool");
            lmtp?.Invoke(o);
        });
        builder.Services.AddPostinoSmtp(o =>
        {
            o.HostName = "mx.test";
            o.SpoolDirectory = Path.Combine(_directory.Path, "spool");
            o.LocalDomains.Add("example.org");
            smtp?.Invoke(o);
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => _lmtp = listen.UseLmtp());
            kestrel.ListenUnixSocket(UnixSocketPath, listen => listen.UseLmtp());
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (smtpAdmission is not null)
                {
                    listen.UseConnectionAdmission(new ConnectionAdmission("smtp", smtpAdmission, implicitTls: false, NullLogger.Instance, TimeProvider.System));
                }

                _smtp = listen.UseSmtp();
            });
        });
        _app = builder.Build();
    }

    public IMailStore Store { get; }

    public string UnixSocketPath { get; }

    public int LmtpPort => _lmtp!.IPEndPoint!.Port;

    public int SmtpPort => _smtp!.IPEndPoint!.Port;

    public string SpoolDirectory => Path.Combine(_directory.Path, "spool");

    public static async Task<MailTransferTestHost> StartAsync(
        IMailStore? store = null,
        IUserDirectory? users = null,
        Action<LmtpOptions>? lmtp = null,
        Action<SmtpOptions>? smtp = null,
        TlsServerSettings? tls = null,
        ConnectionAdmissionOptions? smtpAdmission = null)
    {
        var host = new MailTransferTestHost(store ?? DeliveryFixtures.Store(), users ?? DeliveryFixtures.Users(), lmtp, smtp, tls, smtpAdmission);
        await host._app.StartAsync();
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _directory.Dispose();
    }
}
