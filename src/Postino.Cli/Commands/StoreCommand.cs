using System.CommandLine;
using Postino.Cli.Configuration;
using Postino.Storage;
using Postino.Storage.Maildir;
using Postino.Storage.Postgres;
using Postino.Storage.Users;
using Spectre.Console;

namespace Postino.Cli.Commands;

/// <summary>
/// <c>postino store migrate --store URL</c>: creates or upgrades the PostgreSQL schema (idempotent).
/// <c>postino store import --store URL --from maildir:DIR [--users FILE] [USER...]</c>: copies users and Maildirs into
/// it, keeping UIDLs, sizes, arrival and first-retrieval times; run again, it copies only what is missing.
/// Exit codes: 0 done, 64 usage, 75 the database failed or a mailbox was in use (run it again).
/// </summary>
internal static class StoreCommand
{
    private const int Usage = 64;
    private const int TryAgainLater = 75;

    public static Command Create()
    {
        var command = new Command("store", "Manage a PostgreSQL store: create its schema, import Maildirs into it.");
        command.Subcommands.Add(CreateMigrate());
        command.Subcommands.Add(CreateImport());
        return command;
    }

    private static Command CreateMigrate()
    {
        var command = new Command("migrate", "Create or upgrade the schema of a PostgreSQL store (safe to run again, and while nodes run).");
        var (store, config) = AddStoreOptions(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration;
            var database = OpenDatabase(parseResult, store, config, output.Error);
            if (database is null)
            {
                return Usage;
            }

            await using (database)
            {
                try
                {
                    var applied = await database.MigrateAsync(cancellationToken);
                    await output.Output.WriteLineAsync(applied.Count == 0
                        ? $"the schema of {database.Description} is current (version {Storage.Postgres.Migrations.SchemaMigrator.LatestVersion})"
                        : $"applied migration(s) {string.Join(", ", applied)} to {database.Description}");
                    return 0;
                }
                catch (StorageException exception)
                {
                    await output.Error.WriteLineAsync($"postino store migrate: {exception.Message}");
                    return TryAgainLater;
                }
            }
        });
        return command;
    }

    private static Command CreateImport()
    {
        var command = new Command("import", "Copy users and Maildirs into a PostgreSQL store (UIDLs, sizes, times kept; only what is missing).");
        var (store, config) = AddStoreOptions(command);
        var from = new Option<string>("--from") { Description = "The Maildir store's root, maildir:DIR (holding USER/Maildir).", Required = true };
        var usersFile = new Option<FileInfo?>("--users") { Description = "A users file (Dovecot passwd-file) whose users to copy too." };
        var users = new Argument<string[]>("USER") { Description = "Only these users (default: every user of --users, else every Maildir under DIR).", Arity = ArgumentArity.ZeroOrMore };
        command.Options.Add(from);
        command.Options.Add(usersFile);
        command.Arguments.Add(users);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration;
            var source = parseResult.GetValue(from)!;
            if (!source.StartsWith("maildir:", StringComparison.OrdinalIgnoreCase) || source.Length == "maildir:".Length)
            {
                await output.Error.WriteLineAsync("postino store import: --from must be maildir:DIR");
                return Usage;
            }

            var database = OpenDatabase(parseResult, store, config, output.Error);
            if (database is null)
            {
                return Usage;
            }

            await using (database)
            {
                try
                {
                    return await ImportAsync(
                        database, Path.GetFullPath(source["maildir:".Length..]), parseResult.GetValue(usersFile), parseResult.GetValue(users) ?? [], output, cancellationToken);
                }
                catch (Exception exception) when (exception is StorageException or UsersFileException or IOException)
                {
                    await output.Error.WriteLineAsync($"postino store import: {exception.Message}");
                    return TryAgainLater;
                }
            }
        });
        return command;
    }

    private static async Task<int> ImportAsync(
        PostgresDatabase database, string root, FileInfo? usersFile, string[] named, InvocationConfiguration output, CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken);
        var file = usersFile is null ? null : await UsersFile.OpenAsync(usersFile.FullName, cancellationToken: cancellationToken);
        var records = file is null ? [] : await file.ListAsync(cancellationToken);
        var source = new MaildirStore(new MaildirStoreOptions { DataDirectory = root, LocationTemplate = Path.Combine(root, "%u", "Maildir") });
        await using var target = new PostgresMailStore(database);
        var importer = new MaildirImporter(target, new PostgresUserDirectory(database), source, root);
        IReadOnlyList<string> users = named.Length > 0 ? named : file is not null ? [.. records.Select(r => r.Name)] : importer.UsersOnDisk();

        var reports = new List<MaildirImporter.UserReport>();
        if (!Console.IsOutputRedirected && ReferenceEquals(output.Output, Console.Out))
        {
            await AnsiConsole.Progress().StartAsync(async context =>
            {
                var task = context.AddTask("importing", maxValue: Math.Max(1, users.Count));
                foreach (var user in users)
                {
                    task.Description = user;
                    reports.Add(await importer.ImportUserAsync(user, records.FirstOrDefault(r => r.Name == user), null, cancellationToken));
                    task.Increment(1);
                }
            });
        }
        else
        {
            foreach (var user in users)
            {
                reports.Add(await importer.ImportUserAsync(user, records.FirstOrDefault(r => r.Name == user), null, cancellationToken));
            }
        }

        foreach (var report in reports)
        {
            await output.Output.WriteLineAsync(
                $"{report.User}: {report.Imported} message(s) imported, {report.AlreadyThere} already there{(report.UserAdded ? ", user added" : string.Empty)}");
            if (report.Problem is not null)
            {
                await output.Error.WriteLineAsync($"postino store import: {report.User}: {report.Problem}");
            }
        }

        return reports.Any(r => r.Problem is not null) ? TryAgainLater : 0;
    }

    private static (Option<string?> Store, Option<FileInfo?> Config) AddStoreOptions(Command command)
    {
        var store = CommonOptions.Store();
        var config = CommonOptions.Config();
        command.Options.Add(store);
        command.Options.Add(config);
        return (store, config);
    }

    private static PostgresDatabase? OpenDatabase(ParseResult parseResult, Option<string?> store, Option<FileInfo?> config, TextWriter error)
    {
        try
        {
            var configFile = parseResult.GetValue(config);
            var configuration = ConfigurationLoader.Load(configFile, new Dictionary<string, string?> { [StoreSettings.Key] = parseResult.GetValue(store) });
            var settings = StoreSettings.Read(configuration, DataFolder.Resolve(null, configFile, configuration));
            if (settings.Postgres is null)
            {
                error.WriteLine($"postino {parseResult.CommandResult.Command.Name}: --store must be a PostgreSQL URL");
                return null;
            }

            return PostgresDatabase.Open(settings.Postgres);
        }
        catch (ConfigurationProblem exception)
        {
            error.WriteLine($"postino store: {exception.Message}");
            return null;
        }
    }
}
