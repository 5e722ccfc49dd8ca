using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Postino.Server.Lmtp;
using Postino.Server.Tls;

namespace Postino.Server.Smtp;

/// <summary>
/// Registers the SMTP and LMTP listeners with a Kestrel host. The host must also register an
/// <see cref="Storage.IMailStore"/> and an <see cref="Storage.Users.IUserDirectory"/>, and for STARTTLS a
/// <see cref="TlsServerSettings"/> (without one, STARTTLS is not offered):
/// <code>
/// services.AddPostinoLmtp(o => o.MaxMessageSize = ...);
/// services.AddPostinoSmtp(o => o.LocalDomains.Add("example.org"));
/// kestrel.Listen(IPAddress.Loopback, 2424, listen => listen.UseLmtp());
/// kestrel.ListenUnixSocket("/run/postino/lmtp", listen => listen.UseLmtp());
/// kestrel.Listen(IPAddress.Loopback, 2525, listen => listen.UseSmtp());
/// </code>
/// </summary>
public static class MailTransferHostingExtensions
{
    public static IServiceCollection AddPostinoLmtp(this IServiceCollection services, Action<LmtpOptions>? configure = null)
    {
        var options = new LmtpOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LmtpConnectionHandler>();
        return services;
    }

    public static IServiceCollection AddPostinoSmtp(this IServiceCollection services, Action<SmtpOptions>? configure = null)
    {
        var options = new SmtpOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IStartTlsUpgrade>(provider => new TlsStartTlsUpgrade(
            provider.GetService<TlsServerSettings>() ?? new TlsServerSettings(new FixedCertificateProvider(null))));
        services.TryAddSingleton<SmtpConnectionHandler>();
        return services;
    }

    /// <summary>Serves LMTP on this endpoint (TCP or Unix socket).</summary>
    public static ListenOptions UseLmtp(this ListenOptions listen) =>
        (ListenOptions)listen.UseConnectionHandler<LmtpConnectionHandler>();

    /// <summary>Serves inbound SMTP on this endpoint.</summary>
    public static ListenOptions UseSmtp(this ListenOptions listen) =>
        (ListenOptions)listen.UseConnectionHandler<SmtpConnectionHandler>();
}
