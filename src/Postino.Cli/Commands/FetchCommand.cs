using System.CommandLine;
using Postino.Cli.Fetch;
using Postino.Fetch.Fetching;

namespace Postino.Cli.Commands;

/// <summary>
/// <c>postino fetch</c>: downloads mail from a POP3 or POP2 server into Maildir, mbox, an MDA or LMTP, in keep mode
/// (default), delete mode or keep-days mode, never losing or duplicating a message (see Postino.Fetch).
/// </summary>
internal static class FetchCommand
{
    public static Command Create() => Create(TimeProvider.System);

    internal static Command Create(TimeProvider timeProvider)
    {
        var command = new Command("fetch", "Download mail from a POP3/POP2 server (like fetchmail, but never loses or duplicates). "
            + FetchExitCodes.Help);
        var url = new Argument<string?>("url")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "pop3://USER@HOST[:PORT] (STLS whenever the server offers it), pop3s://USER@HOST[:PORT] (implicit TLS) or pop2://USER@HOST[:PORT]; %-encode @ in the user.",
        };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input." };
        var passwordFile = new Option<FileInfo?>("--password-file") { Description = "Read the password from the first line of this file." };
        var keep = new Option<bool>("--keep") { Description = "Leave mail on the server; fetch only what is new (default)." };
        var delete = new Option<bool>("--delete") { Description = "Delete each message from the server once it is stored safely." };
        var keepDays = new Option<int?>("--keep-days") { Description = "Keep mail on the server, but delete it N days after it was first downloaded." };
        var to = new Option<string?>("--to")
        {
            Description = $"Destination: maildir:DIR, mbox:FILE, mda:COMMAND or lmtp://HOST:PORT[/RECIPIENT]. Default: {AccountFactory.DefaultDestination}.",
        };
        var startTls = new Option<bool>("--starttls") { Description = "Require STLS on a pop3:// connection; fail when the server does not offer it. Without it, pop3:// still uses STLS whenever the server offers it." };
        var noTls = new Option<bool>("--no-tls") { Description = "Stay in plain text on a pop3:// connection even when the server offers STLS (the password goes in clear)." };
        var insecure = new Option<bool>("--insecure") { Description = "Accept any server certificate (self-signed test servers)." };
        var fingerprint = new Option<string?>("--fingerprint") { Description = "Accept only the server certificate with this SHA-256 fingerprint (hex)." };
        var state = new Option<FileInfo?>("--state") { Description = "The state file (what was downloaded). Default: ~/.local/state/postino/fetch/<account>.json." };
        var all = new Option<bool>("--all") { Description = "Download again messages that were already downloaded." };
        var maxSize = new Option<long?>("--max-size") { Description = "Skip (and report) messages larger than N octets." };
        var limit = new Option<int?>("--limit") { Description = "Download at most N messages per run." };
        var verbose = new Option<bool>("--verbose") { Description = "Print the protocol conversation on standard error (passwords redacted)." };
        var accountsFile = new Option<FileInfo?>("--accounts")
        {
            Description = "A JSON file with several accounts: {\"accounts\": [{\"server\", \"port\", \"protocol\", \"tls\", \"user\", \"password\" | \"passwordFile\" | \"passwordCommand\", \"mode\", \"keepDays\", \"destination\", \"pop2Folder\", \"state\"}]}.",
            HelpName = "FILE",
        };

        // Every other command's --config is the server configuration; fetch's was an accounts file. Kept one release.
        var deprecatedConfig = new Option<FileInfo?>("--config") { Description = "Deprecated: use --accounts.", Hidden = true };
        var daemon = new Option<bool>("--daemon") { Description = "Keep running and fetch every --interval seconds." };
        var interval = new Option<int?>("--interval") { Description = $"Seconds between fetches with --daemon (default {FetchDriver.DefaultIntervalSeconds}; a server's LOGIN-DELAY wins)." };

        command.Arguments.Add(url);
        foreach (var option in new Option[] { passwordStdin, passwordFile, keep, delete, keepDays, to, startTls, noTls, insecure, fingerprint, state, all, maxSize, limit, verbose, accountsFile, deprecatedConfig, daemon, interval })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var modes = new[] { parseResult.GetValue(keep), parseResult.GetValue(delete), parseResult.GetValue(keepDays) is not null }.Count(m => m);
            if (modes > 1)
            {
                await Console.Error.WriteLineAsync("postino fetch: choose one of --keep, --delete, --keep-days.");
                return FetchExitCodes.Usage;
            }

            if (parseResult.GetValue(limit) is < 1 || parseResult.GetValue(maxSize) is < 1 || parseResult.GetValue(interval) is < 1)
            {
                await Console.Error.WriteLineAsync("postino fetch: --limit, --max-size and --interval must be positive.");
                return FetchExitCodes.Usage;
            }

            var accountsPath = parseResult.GetValue(accountsFile)?.FullName;
            if (parseResult.GetValue(deprecatedConfig) is { } deprecated)
            {
                if (accountsPath is not null)
                {
                    await Console.Error.WriteLineAsync("postino fetch: give --accounts only (--config is its deprecated name).");
                    return FetchExitCodes.Usage;
                }

                await Console.Error.WriteLineAsync(
                    "postino fetch: warning: --config is deprecated and will be removed in the next release; use --accounts FILE.");
                accountsPath = deprecated.FullName;
            }

            var settings = new FetchSettings
            {
                Url = parseResult.GetValue(url),
                AccountsPath = accountsPath,
                PasswordStdin = parseResult.GetValue(passwordStdin),
                PasswordFile = parseResult.GetValue(passwordFile)?.FullName,
                Mode = parseResult.GetValue(delete) ? FetchMode.Delete
                    : parseResult.GetValue(keepDays) is not null ? FetchMode.KeepDays
                    : parseResult.GetValue(keep) ? FetchMode.Keep
                    : null,
                KeepDays = parseResult.GetValue(keepDays) ?? 0,
                Destination = parseResult.GetValue(to),
                StartTls = parseResult.GetValue(startTls),
                NoTls = parseResult.GetValue(noTls),
                Insecure = parseResult.GetValue(insecure),
                Fingerprint = parseResult.GetValue(fingerprint),
                StatePath = parseResult.GetValue(state)?.FullName,
                All = parseResult.GetValue(all),
                MaxSize = parseResult.GetValue(maxSize),
                Limit = parseResult.GetValue(limit),
                Verbose = parseResult.GetValue(verbose),
                Daemon = parseResult.GetValue(daemon),
                IntervalSeconds = parseResult.GetValue(interval),
            };
            return await RunAsync(settings, Console.Out, Console.Error, !Console.IsOutputRedirected && !Console.IsErrorRedirected, timeProvider, cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RunAsync(FetchSettings settings, TextWriter output, TextWriter error, bool terminal,
        TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (AccountFactory.TryCreate(settings, timeProvider, out var problem) is not { } accounts)
        {
            await error.WriteLineAsync($"postino fetch: {problem}");
            return FetchExitCodes.Usage;
        }

        if (settings.StatePath is not null && accounts.Count > 1)
        {
            await error.WriteLineAsync("postino fetch: --state names one account's state file; set \"state\" per account in the accounts file.");
            return FetchExitCodes.Usage;
        }

        int? configInterval = settings.AccountsPath is { } path ? FetchConfigFile.TryLoad(path, out _)?.Interval : null;
        return await new FetchDriver(settings, output, error, terminal, timeProvider).RunAsync(accounts, configInterval, cancellationToken);
    }
}
