using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Postino.Server.Pop3;
using Postino.Storage;
using Postino.Storage.Retention;

namespace Postino.Server.Retention;

/// <summary>Registers retention: the resolver, delete-on-retrieve at commit, EXPIRE in CAPA, and the periodic sweep.</summary>
public static class RetentionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RetentionResolver"/> (also as <see cref="IRetentionRuleSource"/> and
    /// <see cref="IRetentionAtCommit"/>, which <see cref="Storage.Maildir.MaildirStore"/> takes in its constructor),
    /// <see cref="RetentionExpirePolicy"/> as the POP3 <see cref="IPop3ExpirePolicy"/>, <see cref="RetentionSweeper"/>
    /// and the periodic <see cref="RetentionSweeperService"/>. The caller registers the store (as
    /// <see cref="IMailStore"/>, which the sweeper walks), the <see cref="Storage.Users.IUserDirectory"/> and an
    /// <see cref="IUserLister"/> (e.g. <see cref="UsersFileUserLister"/>). Call it before <c>AddPop3</c>, whose default
    /// EXPIRE policy only applies when none is registered.
    /// </summary>
    public static IServiceCollection AddRetention(
        this IServiceCollection services,
        RetentionOptions options,
        RetentionSweepOptions sweepOptions)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(options);
        services.AddSingleton(sweepOptions);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new RetentionResolver(
            options,
            sp.GetService<Storage.Users.IUserDirectory>(),
            sp.GetService<Microsoft.Extensions.Logging.ILogger<RetentionResolver>>()));
        services.AddSingleton<IRetentionRuleSource>(sp => sp.GetRequiredService<RetentionResolver>());
        services.AddSingleton<IRetentionAtCommit>(sp => sp.GetRequiredService<RetentionResolver>());
        services.Replace(ServiceDescriptor.Singleton<IPop3ExpirePolicy, RetentionExpirePolicy>());
        services.AddSingleton<RetentionSweeper>();
        services.AddSingleton<IHostedService, RetentionSweeperService>();
        return services;
    }
}
