using System.CommandLine;

namespace Postino.Cli.Commands;

/// <summary><c>postino serve</c>: runs the servers until SIGINT/SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Run the POP3, POP3S, POP2, LMTP and SMTP servers.");
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        command.Options.Add(config);
        command.Options.Add(dataDir);
        command.SetAction((parseResult, cancellationToken) => Task.FromResult(0));
        return command;
    }
}
