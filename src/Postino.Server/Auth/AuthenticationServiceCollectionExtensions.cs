using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Postino.Protocols.Sasl;
using Postino.Server.Security;
using Postino.Storage.Users.Schemes;

namespace Postino.Server.Auth;

/// <summary>Registers the login machinery; the host registers <c>IUserDirectory</c> (the opened <c>UsersFile</c>).</summary>
public static class AuthenticationServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IPasswordAuthenticator"/>, <see cref="ILoginPolicy"/>, the secret
    /// sources (<see cref="IPlainSecretLookup"/>, <see cref="ICramMd5SecretSource"/>, <see cref="IScramCredentialSource"/>),
    /// <see cref="LoginPenalty"/>, <see cref="LoginDelayTracker"/>, <see cref="LoginThrottle"/> and the auth cache
    /// (<see cref="VerifiedPasswordCache"/>) as singletons, with default options unless the caller registered its own
    /// <see cref="LoginPenaltyOptions"/>, <see cref="LoginDelayOptions"/> or <see cref="VerifiedPasswordCacheOptions"/>.
    /// </summary>
    public static IServiceCollection AddPostinoAuthentication(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new LoginPenaltyOptions());
        services.TryAddSingleton(new LoginDelayOptions());
        services.TryAddSingleton(PasswordSchemeRegistry.Default);
        services.TryAddSingleton(provider => new PasswordVerifier(provider.GetRequiredService<PasswordSchemeRegistry>()));
        services.TryAddSingleton<LoginPenalty>();
        services.TryAddSingleton<LoginDelayTracker>();
        services.TryAddSingleton<LoginThrottle>();
        services.TryAddSingleton(new VerifiedPasswordCacheOptions());
        services.TryAddSingleton<VerifiedPasswordCache>();
        services.TryAddSingleton<ILoginPolicy, LoginPolicy>();
        services.TryAddSingleton<IPasswordAuthenticator, PasswordAuthenticator>();
        services.TryAddSingleton<SecretLookup>();
        services.TryAddSingleton<IPlainSecretLookup>(provider => provider.GetRequiredService<SecretLookup>());
        services.TryAddSingleton<ICramMd5SecretSource>(provider => provider.GetRequiredService<SecretLookup>());
        services.TryAddSingleton<IScramCredentialSource>(provider => provider.GetRequiredService<SecretLookup>());
        return services;
    }
}
