using System.CommandLine;
using Postino.Cli.Commands;

namespace Postino.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("Postino: a POP3 and POP2 mail server with LMTP/SMTP delivery and a POP client.");
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        return await root.Parse(args).InvokeAsync();
    }
}
