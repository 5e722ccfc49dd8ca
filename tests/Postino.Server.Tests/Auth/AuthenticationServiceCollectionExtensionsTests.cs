using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Postino.Protocols.Sasl;
using Postino.Server.Auth;
using Postino.Storage.Users;

namespace Postino.Server.Tests.Auth;

public sealed class AuthenticationServiceCollectionExtensionsTests
{
    [Fact]
    public async Task The_registrations_resolve_and_share_one_policy()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IUserDirectory>(new MemoryUserDirectory(UserRecord.Create("demo", "{PLAIN}secret")));
        services.AddPostinoAuthentication();
        await using var provider = services.BuildServiceProvider();

        var authenticator = provider.GetRequiredService<IPasswordAuthenticator>();
        var result = await authenticator.AuthenticateAsync("demo", "secret", IPAddress.Loopback, CancellationToken.None);
        Assert.True(result.Succeeded);

        Assert.Equal("secret", await provider.GetRequiredService<IPlainSecretLookup>().FindPlainSecretAsync("demo", CancellationToken.None));
        Assert.Same(provider.GetRequiredService<IPlainSecretLookup>(), provider.GetRequiredService<IScramCredentialSource>());
        Assert.Same(provider.GetRequiredService<IPlainSecretLookup>(), provider.GetRequiredService<ICramMd5SecretSource>());
    }
}
