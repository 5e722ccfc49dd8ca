using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Postino.Server.Hosting;
using Postino.Server.Pop3.Commands;
using Postino.Storage;

namespace Postino.Server.Pop3;

/// <summary>Registers the POP3 session machinery.</summary>
public static class Pop3ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the POP3 core: options, every RFC 1939 command, the core capabilities, default policies and the
    /// session factory. The caller registers <see cref="Storage.IMailStore"/>, <see cref="Auth.IPasswordAuthenticator"/>
    /// and, for APOP, <see cref="Storage.Users.IUserDirectory"/>. Extensions add <see cref="IPop3Command"/> and
    /// <see cref="IPop3Capability"/> singletons, and may replace <see cref="IPop3LoginPolicy"/> and
    /// <see cref="IPop3ExpirePolicy"/>.
    /// </summary>
    public static IServiceCollection AddPop3(this IServiceCollection services, Pop3Options options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        PostinoOptionsException.ThrowIfInvalid(options.Validate());

        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.TryAddSingleton(sp => new Pop3ServerIdentity(
            sp.GetService<PostinoServerOptions>()?.HostName ?? LocalHostName.Default));
        services.TryAddSingleton<IPop3LoginPolicy, AllowPlaintextLoginPolicy>();
        services.TryAddSingleton<IPop3ExpirePolicy, NeverExpirePolicy>();
        services.TryAddSingleton<IApopTimestampSource, RandomApopTimestampSource>();

        IPop3Command[] commands =
        [
            new UserCommand(), new PassCommand(), new ApopCommand(), new CapaCommand(), new QuitCommand(),
            new StatCommand(), new ListCommand(), new RetrCommand(), new DeleCommand(), new NoopCommand(),
            new RsetCommand(), new TopCommand(), new UidlCommand(),
        ];
        foreach (var command in commands)
        {
            services.AddSingleton(command);
        }

        foreach (var capability in CoreCapabilities.All(options))
        {
            services.AddSingleton(capability);
        }

        services.TryAddSingleton<Pop3CommandTable>();
        services.TryAddSingleton<Pop3Capabilities>();
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<Pop3SessionServices>(sp));
        services.TryAddSingleton<Pop3SessionFactory>();
        return services;
    }
}
