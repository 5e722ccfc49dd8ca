using System.CommandLine;
using Postino.Cli.Commands;
using Postino.Storage.Files;

namespace Postino.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Before anything is created: mail, indexes, spool files, keys and state are for this user alone, whatever a
        // library creates without a mode, and whatever umask the caller (an MTA, cron, a shell) left.
        PrivateFiles.RestrictUmask();

        var root = new RootCommand("Postino: a POP3 and POP2 mail server with LMTP/SMTP delivery and a POP client.");
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        // System.CommandLine turns SIGINT/SIGTERM into cancellation of the command's token; the default 2 s before it
        // kills the process would cut serve's graceful stop (grace period) and fetch's QUIT short.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) };
        return await root.Parse(args).InvokeAsync(invocation);
    }
}
