using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Postino.Server.Pop2;

/// <summary>
/// Wiring of the POP2 server into a host: <c>services.AddPop2(o => ...)</c> once, then
/// <c>kestrel.Listen(endpoint, listen => listen.UsePop2())</c> for each POP2 address. The services need an
/// <see cref="Postino.Storage.IMailStore"/> and an <see cref="Auth.IPasswordAuthenticator"/> registered as well.
/// </summary>
public static class Pop2HostingExtensions
{
    public static IServiceCollection AddPop2(this IServiceCollection services, Action<Pop2Options>? configure = null)
    {
        var options = services.AddOptions<Pop2Options>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Pop2ConnectionHandler>();
        return services;
    }

    /// <summary>Makes this Kestrel endpoint speak POP2.</summary>
    public static ListenOptions UsePop2(this ListenOptions listen)
    {
        listen.UseConnectionHandler<Pop2ConnectionHandler>();
        return listen;
    }
}
