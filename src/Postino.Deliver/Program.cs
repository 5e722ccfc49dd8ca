using System.CommandLine;
using Postino.Cli.Commands;
using Postino.Storage.Files;
using Postino.Storage.Postgres;
using Postino.Storage.Users.Schemes;

namespace Postino.Deliver;

/// <summary>
/// The one-shot commands of <c>postino</c> as one NativeAOT program that starts in milliseconds, with the .NET
/// program's own command files (same arguments, output and exit codes). Run as <c>postino-deliver</c> it is
/// <c>postino deliver</c> alone (<c>postino-deliver [--data-dir DIR] [--store URL] [-f SENDER] USER... &lt; message</c>,
/// for Postfix's mailbox_command, one process per message); run by any other name (the package's
/// <c>postino-oneshot</c>, a link to it) it is <c>postino</c> with <c>deliver</c>, <c>user</c> and <c>expire</c>. The
/// package's launcher, /usr/bin/postino, runs it for those three commands.
/// </summary>
internal static class Program
{
    public const string DeliverName = "postino-deliver";

    public static async Task<int> Main(string[] args)
    {
        // As postino's Main: whatever umask the caller left, mail, users and spool files are for this user alone.
        PrivateFiles.RestrictUmask();
        var root = Path.GetFileName(Environment.GetCommandLineArgs()[0]) == DeliverName
            ? DeliverCommand.Configure(new RootCommand(DeliverCommand.Description), OneShotSite.OpenDeliveryAsync, Console.OpenStandardInput)
            : Postino();

        // As postino's: SIGTERM cancels the command, which is given time to finish or roll back rather than 2 s.
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) });
    }

    /// <summary>
    /// A root named <c>postino</c> whatever this file is called, so that usage lines and errors read as the .NET
    /// program's; with its help and version options (a RootCommand would take the file's name).
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
