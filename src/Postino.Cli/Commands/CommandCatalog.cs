using System.CommandLine;

namespace Postino.Cli.Commands;

/// <summary>Every subcommand of <c>postino</c>, in the order <c>--help</c> lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return Serve.ServeCommand.Create();
        yield return UserCommand.Create();
    }
}
