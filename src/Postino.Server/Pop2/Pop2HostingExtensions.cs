using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Postino.Server.Hosting;

namespace Postino.Server.Pop2;

/// <summary>
/// Adds POP2 to a server. With the Postino host: <c>builder.AddPop2(options)</c> registers the services and the
/// listener "pop2" at <see cref="Pop2Options.Listen"/>. On a bare Kestrel host: <c>services.AddPop2(options)</c>, then
/// <c>listen.UsePop2()</c> on each POP2 endpoint. Either way the caller registers
/// <see cref="Storage.IMailStore"/> and <see cref="Auth.IPasswordAuthenticator"/>; HELO's plaintext password is taken from
/// the networks of the registered <see cref="Tls.PlaintextAuthPolicy"/> (the one POP3 uses; loopback when none is
/// registered). Connection caps are the listener's
/// admission (<see cref="ConnectionAdmission"/>): the Postino host puts one on every listener.
/// </summary>
public static class Pop2HostingExtensions
{
    /// <summary>Registers the POP2 services and the listener "pop2" at <see cref="Pop2Options.Listen"/> (unless "none").</summary>
    public static PostinoServerBuilder AddPop2(this PostinoServerBuilder builder, Pop2Options options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.Services.AddPop2(options);
        return builder.AddListener<Pop2ConnectionHandler>("pop2", options.Listen);
    }

    /// <summary>Registers the POP2 services with these options (validated: bad ones throw <see cref="PostinoOptionsException"/>).</summary>
    public static IServiceCollection AddPop2(this IServiceCollection services, Pop2Options options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        PostinoOptionsException.ThrowIfInvalid(options.Validate());
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.TryAddSingleton<Pop2ConnectionHandler>();
        return services;
    }

    /// <summary>Registers the POP2 services with default options changed by <paramref name="configure"/>.</summary>
    public static IServiceCollection AddPop2(this IServiceCollection services, Action<Pop2Options>? configure = null)
    {
        var options = new Pop2Options();
        configure?.Invoke(options);
        return services.AddPop2(options);
    }

    /// <summary>Makes this endpoint (a Postino listener's pipeline, or a Kestrel endpoint) speak POP2.</summary>
    public static TBuilder UsePop2<TBuilder>(this TBuilder listen)
        where TBuilder : IConnectionBuilder
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.UseConnectionHandler<Pop2ConnectionHandler>();
        return listen;
    }
}
