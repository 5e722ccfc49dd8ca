using System.CommandLine;

namespace Postino.Bench;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("Postino benchmarks: load generators that work against any server.");
        root.Subcommands.Add(Pop3LoadCommand.Create());
        root.Subcommands.Add(Pop3LoginCommand.Create());
        root.Subcommands.Add(Pop3HoldCommand.Create());
        root.Subcommands.Add(LmtpLoadCommand.Create());
        root.Subcommands.Add(Pop3LoginStormCommand.Create());
        root.Subcommands.Add(SessionAllocCommand.Create());
        return await root.Parse(args).InvokeAsync();
    }
}
