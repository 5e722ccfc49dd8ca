using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Postino.Cli.Configuration;
using Postino.Storage;
using Postino.Storage.Dovecot;
using Postino.Storage.Maildir;
using Postino.Storage.Users;
using Spectre.Console;

namespace Postino.Cli.Commands;

/// <summary>
/// <c>postino import dovecot --users FILE --mail-root DIR [--mail-location LOCATION] [--in-place] [USER...]</c>: moves
/// users (hashes unchanged) and Maildirs from Dovecot into this site's Maildir store, each message keeping the UIDL
/// Dovecot gave it (<see cref="DovecotImporter"/>). Dovecot's files are only read. Safe to run again: it imports only
/// what is new. Exit codes: 0 done, 64 usage, 66 no passwd-file, 75 a mailbox was in use or a file failed (run it again).
/// </summary>
internal static class ImportCommand
{
    private const int Usage = 64;
    private const int NoInput = 66;
    private const int TryAgainLater = 75;

    public static Command Create()
    {
        var command = new Command("import", "Import users and mailboxes from another server.");
        command.Subcommands.Add(CreateDovecot());
        return command;
    }

    private static Command CreateDovecot()
    {
        var command = new Command("dovecot", "Import Dovecot's users (passwd-file) and Maildirs, keeping the UIDLs Dovecot gave (no re-downloads).");
        var usersFile = new Option<FileInfo>("--users") { Description = "Dovecot's passwd-file (name:{SCHEME}hash:uid:gid:gecos:home:...).", Required = true };
        var mailRoot = new Option<DirectoryInfo>("--mail-root") { Description = "The folder holding USER/Maildir (and relative --mail-location paths).", Required = true };
        var mailLocation = new Option<string?>("--mail-location") { Description = "Dovecot's mail_location, e.g. maildir:/var/mail/%d/%n/Maildir or maildir:~/Maildir (%u, %n, %d, %h). Default: DIR/%u/Maildir." };
        var inPlace = new Option<bool>("--in-place") { Description = "Serve the Dovecot Maildirs where they are (only Postino's own files are written there) instead of copying them." };
        var uidlFormat = new Option<string>("--pop3-uidl-format") { Description = "Dovecot's pop3_uidl_format, for messages without a saved UIDL.", DefaultValueFactory = _ => DovecotUidlFormat.DovecotDefault };
        var dataDir = CommonOptions.DataDir();
        var config = CommonOptions.Config();
        var store = CommonOptions.Store();
        var users = new Argument<string[]>("USER") { Description = "Only these users (default: every user of the passwd-file).", Arity = ArgumentArity.ZeroOrMore };
        foreach (var option in new Option[] { usersFile, mailRoot, mailLocation, inPlace, uidlFormat, dataDir, config, store })
        {
            command.Options.Add(option);
        }

        command.Arguments.Add(users);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration;
            DovecotMailLocation location;
            DovecotUidlFormat format;
            try
            {
                location = DovecotMailLocation.Parse(parseResult.GetValue(mailRoot)!.FullName, parseResult.GetValue(mailLocation));
                format = DovecotUidlFormat.Parse(parseResult.GetValue(uidlFormat)!);
            }
            catch (FormatException exception)
            {
                await output.Error.WriteLineAsync($"postino import dovecot: {exception.Message}");
                return Usage;
            }

            var passwd = parseResult.GetValue(usersFile)!;
            if (!passwd.Exists)
            {
                await output.Error.WriteLineAsync($"postino import dovecot: no passwd-file {passwd.FullName}");
                return NoInput;
            }

            PostinoSite site;
            try
            {
                site = await PostinoSite.OpenAsync(
                    parseResult.GetValue(config),
                    parseResult.GetValue(dataDir),
                    new Dictionary<string, string?> { [StoreSettings.Key] = parseResult.GetValue(store) },
                    NullLoggerFactory.Instance,
                    TimeProvider.System,
                    cancellationToken);
            }
            catch (ConfigurationProblem exception)
            {
                await output.Error.WriteLineAsync($"postino import dovecot: {exception.Message}");
                return Usage;
            }

            await using (site)
            {
                if (site.Store is not MaildirStore maildirs)
                {
                    await output.Error.WriteLineAsync(
                        "postino import dovecot: imports into a Maildir store; for PostgreSQL, import into a Maildir first, then run postino store import");
                    return Usage;
                }

                try
                {
                    var source = await UsersFile.OpenAsync(passwd.FullName, cancellationToken: cancellationToken);
                    var importer = new DovecotImporter(
                        maildirs, site.Users, location, format, parseResult.GetValue(inPlace),
                        warning => output.Error.WriteLine($"postino import dovecot: warning: {warning}"));
                    return await RunAsync(importer, source, parseResult.GetValue(users) ?? [], output, cancellationToken);
                }
                catch (Exception exception) when (exception is UsersFileException or StorageException or IOException or UnauthorizedAccessException)
                {
                    await output.Error.WriteLineAsync($"postino import dovecot: {exception.Message}");
                    return TryAgainLater;
                }
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(
        DovecotImporter importer, UsersFile source, string[] named, InvocationConfiguration output, CancellationToken cancellationToken)
    {
        var all = await source.ListAsync(cancellationToken);
        var records = new List<UserRecord>();
        var problems = 0;
        foreach (var name in named)
        {
            if (all.FirstOrDefault(r => r.Name == name) is { } record)
            {
                records.Add(record);
            }
            else
            {
                await output.Error.WriteLineAsync($"postino import dovecot: {name}: not in the passwd-file");
                problems++;
            }
        }

        if (named.Length == 0)
        {
            records.AddRange(all);
        }

        var reports = new List<DovecotImporter.UserReport>();
        if (!Console.IsOutputRedirected && ReferenceEquals(output.Output, Console.Out))
        {
            await AnsiConsole.Progress().StartAsync(async context =>
            {
                var task = context.AddTask("importing", maxValue: Math.Max(1, records.Count));
                foreach (var record in records)
                {
                    task.Description = record.Name;
                    reports.Add(await importer.ImportUserAsync(record, null, cancellationToken));
                    task.Increment(1);
                }
            });
        }
        else
        {
            foreach (var record in records)
            {
                reports.Add(await importer.ImportUserAsync(record, null, cancellationToken));
            }
        }

        foreach (var report in reports)
        {
            await output.Output.WriteLineAsync(
                $"{report.User}: {report.Imported} message(s) imported ({report.Bytes} bytes), {report.AlreadyThere} already imported, "
                + $"{report.Skipped} skipped{(report.UserAdded ? ", user added" : ", user already there")}");
            if (report.Note is not null)
            {
                await output.Output.WriteLineAsync($"{report.User}: {report.Note}");
            }

            if (report.Problem is not null)
            {
                await output.Error.WriteLineAsync($"postino import dovecot: {report.User}: {report.Problem}");
                problems++;
            }
        }

        var imported = reports.Sum(r => r.Imported);
        var added = reports.Count(r => r.UserAdded);
        await output.Output.WriteLineAsync(imported == 0 && added == 0
            ? $"nothing new to import ({reports.Count} user(s), {reports.Sum(r => r.AlreadyThere)} message(s) already imported)"
            : $"imported {added} user(s) and {imported} message(s), {reports.Sum(r => r.Bytes)} bytes; {reports.Sum(r => r.Skipped)} skipped");
        return problems > 0 ? TryAgainLater : 0;
    }
}
