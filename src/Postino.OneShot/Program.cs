using System.CommandLine;
using Postino.Cli.Commands;
using Postino.Deliver;
using Postino.Storage.Files;
using Postino.Storage.Postgres;
using Postino.Storage.Users.Schemes;

namespace Postino.OneShot;

/// <summary>
/// <c>postino deliver|user|expire ...</c> as one NativeAOT program that starts in milliseconds, with the .NET
/// program's own command files (same arguments, output and exit codes) and the PostgreSQL store. The package's
/// launcher, /usr/bin/postino, runs it for <c>user</c> and <c>expire</c>; postino-deliver becomes it to deliver to
/// PostgreSQL.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // As postino's Main: whatever umask the caller left, mail, users and spool files are for this user alone.
        PrivateFiles.RestrictUmask();

        // As postino's: SIGTERM cancels the command, which is given time to finish or roll back rather than 2 s.
        return await Postino().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) });
    }

    /// <summary>
    /// A root named <c>postino</c>, so that usage lines and errors read as the .NET program's; with its help and version
    /// options (a RootCommand would take this file's name).
    /// </summary>
    private static Command Postino()
    {
        var root = new Command("postino", "Postino: a POP3 and POP2 mail server with LMTP/SMTP delivery and a POP client.");
        root.Options.Add(new System.CommandLine.Help.HelpOption());
        root.Options.Add(new VersionOption());
        root.Subcommands.Add(UserCommand.Create(PasswordSchemeRegistry.Default, TerminalSecretInput.Instance, settings => PostgresDatabase.OpenSlim(settings)));
        root.Subcommands.Add(DeliverCommand.Create(OneShotSite.OpenDeliveryAsync, Console.OpenStandardInput));
        root.Subcommands.Add(ExpireCommand.Create(OneShotSite.OpenExpireAsync));
        return root;
    }
}
