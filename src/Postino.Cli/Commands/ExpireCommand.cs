using System.CommandLine;
using System.Globalization;
using Postino.Storage;
using Postino.Storage.Retention;

namespace Postino.Cli.Commands;

/// <summary>
/// <c>postino expire [--dry-run] [USER...]</c>: one retention sweep, for cron. Without users it sweeps every user of the
/// users file. Exit codes: 0 done, 67 (EX_NOUSER) a named user does not exist, 75 (EX_TEMPFAIL) a mailbox was in use or
/// could not be swept, or the store (the database) could not be reached (run it again later).
/// </summary>
public static class ExpireCommand
{
    public const int UnknownUser = 67;
    public const int TryAgainLater = 75;

    /// <summary>Builds the command; <paramref name="services"/> makes the store, resolver and user list from the options.</summary>
    public static Command Create(Func<Inputs, CancellationToken, Task<Services>> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("expire", "Remove the messages the retention policies say have expired (for cron).");
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var store = CommonOptions.Store();
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list what would be removed; change nothing." };
        var users = new Argument<string[]>("USER")
        {
            Description = "Users whose inbox to sweep (default: every user).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        command.Options.Add(config);
        command.Options.Add(dataDir);
        command.Options.Add(store);
        command.Options.Add(dryRun);
        command.Arguments.Add(users);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                return await RunAsync(parseResult, services, config, dataDir, store, dryRun, users, output, error, cancellationToken);
            }
            catch (StorageException exception) when (exception.IsTemporary)
            {
                // A database that is down is cron's "try again later", not a crash with a stack trace.
                await error.WriteLineAsync($"postino expire: {exception.Message}");
                return TryAgainLater;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(
        ParseResult parseResult,
        Func<Inputs, CancellationToken, Task<Services>> services,
        Option<FileInfo?> config,
        Option<string?> dataDir,
        Option<string?> store,
        Option<bool> dryRun,
        Argument<string[]> users,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        var built = await services(new Inputs(parseResult.GetValue(config), parseResult.GetValue(dataDir), parseResult.GetValue(store)), cancellationToken);
        var known = await built.Users.ListUserNamesAsync(cancellationToken);
        var named = parseResult.GetValue(users) ?? [];
        var unknown = named.Where(n => !known.Contains(n, StringComparer.Ordinal)).ToList();
        foreach (var name in unknown)
        {
            await error.WriteLineAsync($"postino expire: no user {name}");
        }

        if (unknown.Count > 0)
        {
            return UnknownUser;
        }

        var report = await built.Sweeper.SweepAsync(named.Length > 0 ? named : known, parseResult.GetValue(dryRun), cancellationToken);
        await WriteReportAsync(report, output, error);
        return report.SkippedInUse.Count > 0 || report.Failed.Count > 0 ? TryAgainLater : 0;
    }

    private static async Task WriteReportAsync(RetentionSweepReport report, TextWriter output, TextWriter error)
    {
        var verb = report.DryRun ? "would expire" : "expired";
        foreach (var message in report.Expired)
        {
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{verb} {message.User} {message.Uidl} {message.Age.TotalDays:F1} days: {message.Reason}"));
        }

        foreach (var user in report.SkippedInUse)
        {
            await error.WriteLineAsync($"postino expire: {user} skipped: a session holds the mailbox");
        }

        foreach (var (user, problem) in report.Failed)
        {
            await error.WriteLineAsync($"postino expire: {user} failed: {problem}");
        }

        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"{report.Expired.Count} message(s) {verb} in {report.MailboxesSwept} mailbox(es)"));
    }

    /// <summary>The command-line options the services are made from.</summary>
    public sealed record Inputs(FileInfo? ConfigFile, string? DataDirectory, string? Store = null);

    /// <summary>What the command needs: the sweeper (store and retention resolver) and the users to sweep.</summary>
    public sealed record Services(RetentionSweeper Sweeper, IUserLister Users);
}
