using System.CommandLine;

namespace Postino.Cli.Commands;

/// <summary>Options that several commands share, so that they are spelled and described once.</summary>
internal static class CommonOptions
{
    public const string DefaultDataDir = "./postino-data";

    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = $"The data folder (users file, mailboxes, certificates). Default: {DefaultDataDir}.",
    };

    public static Option<string?> Store() => new("--store")
    {
        Description = "Where mail and users live: maildir:DIR, or a PostgreSQL URL postgresql://USER@HOST/DB (default: the data folder's mail/ and users file).",
        HelpName = "URL",
    };

    public static Option<FileInfo?> Config() => new("--config")
    {
        Description = "A JSON configuration file (see docs/configuration.md).",
    };
}
