using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Postino.Server.Pop3;
using Postino.Server.Retention;
using Postino.Storage;
using Postino.Storage.Maildir;
using Postino.Storage.Retention;

namespace Postino.Server.Tests.Retention;

public sealed class RetentionServiceCollectionTests
{
    [Fact]
    public void Wires_the_resolver_into_the_store_capa_and_the_sweeper()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new MaildirStoreOptions { DataDirectory = Path.GetTempPath() });
        services.AddSingleton<MaildirStore>();
        services.AddSingleton<IMailStore>(sp => sp.GetRequiredService<MaildirStore>());
        services.AddSingleton<IUserLister>(new NoUsers());
        services.AddRetention(new RetentionOptions(), new RetentionSweepOptions());
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var resolver = provider.GetRequiredService<RetentionResolver>();
        Assert.Same(resolver, provider.GetRequiredService<IRetentionAtCommit>());
        Assert.IsType<RetentionExpirePolicy>(provider.GetRequiredService<IPop3ExpirePolicy>());
        Assert.Single(provider.GetServices<IHostedService>().OfType<RetentionSweeperService>());
        Assert.NotNull(provider.GetRequiredService<MaildirStore>());
    }

    private sealed class NoUsers : IUserLister
    {
        public ValueTask<IReadOnlyList<string>> ListUserNamesAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<string>>([]);
    }
}
