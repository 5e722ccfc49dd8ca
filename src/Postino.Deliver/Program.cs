using System.CommandLine;
using Postino.Cli.Commands;
using Postino.Storage.Files;

namespace Postino.Deliver;

/// <summary>
/// <c>postino-deliver [--data-dir DIR] [--store URL] [-f SENDER] USER... &lt; message</c>: <c>postino deliver</c> as
/// a NativeAOT program that starts in milliseconds (Postfix's mailbox_command runs one per message). Same arguments,
/// same sysexits codes, same delivery code (the CLI's files, compiled here); the package's <c>postino deliver</c>
/// runs this.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // As postino's Main: whatever umask the MTA left, mail and spool files are for this user alone.
        PrivateFiles.RestrictUmask();
        var root = DeliverCommand.Configure(new RootCommand(DeliverCommand.Description), OneShotSite.OpenDeliveryAsync, Console.OpenStandardInput);

        // As postino's: SIGTERM cancels the delivery, which is given time to finish or roll back rather than 2 s.
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) });
    }
}
