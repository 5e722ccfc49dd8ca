using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Postino.Cli.Configuration;
using Postino.Storage.Retention;

namespace Postino.Cli.Commands;

/// <summary>Every subcommand of <c>postino</c>, in the order <c>--help</c> lists them, with what each needs.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return Serve.ServeCommand.Create();
        yield return UserCommand.Create();
        yield return DeliverCommand.Create();
        yield return FetchCommand.Create();
        yield return ExpireCommand.Create(OpenExpireServicesAsync);
        yield return StoreCommand.Create();
        yield return ImportCommand.Create();
        yield return CheckConfigCommand.Create();
    }

    private static async Task<ExpireCommand.Services> OpenExpireServicesAsync(ExpireCommand.Inputs inputs, CancellationToken cancellationToken)
    {
        var site = await PostinoSite.OpenAsync(
            inputs.ConfigFile,
            inputs.DataDirectory,
            new Dictionary<string, string?> { [StoreSettings.Key] = inputs.Store },
            NullLoggerFactory.Instance,
            TimeProvider.System,
            cancellationToken);
        var sweeper = new RetentionSweeper(site.Store, site.Retention, TimeProvider.System);
        return new ExpireCommand.Services(sweeper, site.UserLister);
    }
}
