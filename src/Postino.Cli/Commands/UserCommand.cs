using System.CommandLine;
using System.Globalization;
using System.Text;
using Npgsql;
using Postino.Cli.Configuration;
using Postino.Storage.Postgres;
using Postino.Storage.Retention;
using Postino.Storage.Users;
using Postino.Storage.Users.Schemes;

namespace Postino.Cli.Commands;

/// <summary>
/// <c>postino user add|passwd|list|remove|set</c>: edits the users of the store: the database with a PostgreSQL <c>--store</c>, else the users file of the data folder (<c>DATA/users</c>, or
/// <c>Users:File</c> of the config file, relative to the data folder). A running server sees the change at the next
/// login. Passwords come from the terminal without echo, or one line of standard input with <c>--password-stdin</c>.
/// </summary>
internal static class UserCommand
{
    private const string DefaultKeyword = "default";

    public static Command Create() => Create(PasswordSchemeRegistry.Default, TerminalSecretInput.Instance);

    /// <summary>The command with its password schemes and password input given (tests use cheap and scripted ones).</summary>
    internal static Command Create(PasswordSchemeRegistry schemes, ISecretInput secretInput) =>
        Create(schemes, secretInput, settings => PostgresDatabase.Open(settings));

    /// <param name="openDatabase">
    /// opens a PostgreSQL store: the .NET program's data source, or Npgsql's slim one in the NativeAOT program
    /// (src/Postino.Deliver, which compiles this file).
    /// </param>
    internal static Command Create(PasswordSchemeRegistry schemes, ISecretInput secretInput, Func<NpgsqlConnectionStringBuilder, PostgresDatabase> openDatabase)
    {
        var command = new Command("user", "Manage users in the users file (Dovecot passwd-file format) or the PostgreSQL store.");
        command.Subcommands.Add(CreateAdd(schemes, secretInput, openDatabase));
        command.Subcommands.Add(CreatePasswd(schemes, secretInput, openDatabase));
        command.Subcommands.Add(CreateList(openDatabase));
        command.Subcommands.Add(CreateRemove(openDatabase));
        command.Subcommands.Add(CreateSet(openDatabase));
        return command;
    }

    private static Command CreateAdd(PasswordSchemeRegistry schemes, ISecretInput secretInput, Func<NpgsqlConnectionStringBuilder, PostgresDatabase> openDatabase)
    {
        var command = new Command("add", "Add a user with a new password.");
        var location = AddLocation(command);
        var name = AddName(command);
        var passwordStdin = AddPasswordStdin(command);
        var scheme = AddScheme(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, async output =>
        {
            var user = ValidName(parseResult.GetValue(name));
            var schemeName = ValidScheme(schemes, parseResult.GetValue(scheme));
            var file = await OpenAsync(parseResult, location, schemes, openDatabase, cancellationToken);
            if (await file.FindAsync(user, cancellationToken) is not null)
            {
                throw new UserCommandException($"user {user} already exists");
            }

            var password = ReadPassword(parseResult.GetValue(passwordStdin), secretInput, output.Error);
            var record = UserRecord.Create(user, schemes.Hash(password, schemeName));
            if (!await file.AddAsync(record, cancellationToken))
            {
                throw new UserCommandException($"user {user} already exists");
            }

            await output.Output.WriteLineAsync($"added user {user} to {file.Location}");
        }));
        return command;
    }

    private static Command CreatePasswd(PasswordSchemeRegistry schemes, ISecretInput secretInput, Func<NpgsqlConnectionStringBuilder, PostgresDatabase> openDatabase)
    {
        var command = new Command("passwd", "Set a user's password.");
        var location = AddLocation(command);
        var name = AddName(command);
        var passwordStdin = AddPasswordStdin(command);
        var scheme = AddScheme(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, async output =>
        {
            var user = ValidName(parseResult.GetValue(name));
            var schemeName = ValidScheme(schemes, parseResult.GetValue(scheme));
            var file = await OpenAsync(parseResult, location, schemes, openDatabase, cancellationToken);
            if (await file.FindAsync(user, cancellationToken) is null)
            {
                throw new UserCommandException($"no user {user}");
            }

            var stored = schemes.Hash(ReadPassword(parseResult.GetValue(passwordStdin), secretInput, output.Error), schemeName);
            if (!await file.UpdateAsync(user, record => record with { Password = stored }, cancellationToken))
            {
                throw new UserCommandException($"no user {user}");
            }

            await output.Output.WriteLineAsync($"changed the password of {user}");
        }));
        return command;
    }

    private static Command CreateList(Func<NpgsqlConnectionStringBuilder, PostgresDatabase> openDatabase)
    {
        var command = new Command("list", "List the users, their password scheme and Postino settings.");
        var location = AddLocation(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, async output =>
        {
            var file = await OpenAsync(parseResult, location, PasswordSchemeRegistry.Default, openDatabase, cancellationToken);
            foreach (var user in await file.ListAsync(cancellationToken))
            {
                await output.Output.WriteLineAsync(Describe(user));
            }
        }));
        return command;
    }

    private static Command CreateRemove(Func<NpgsqlConnectionStringBuilder, PostgresDatabase> openDatabase)
    {
        var command = new Command("remove", "Remove a user from the users file (the mailbox stays on disk).");
        var location = AddLocation(command);
        var name = AddName(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, async output =>
        {
            var user = ValidName(parseResult.GetValue(name));
            var file = await OpenAsync(parseResult, location, PasswordSchemeRegistry.Default, openDatabase, cancellationToken);
            if (!await file.RemoveAsync(user, cancellationToken))
            {
                throw new UserCommandException($"no user {user}");
            }

            await output.Output.WriteLineAsync($"removed user {user}");
        }));
        return command;
    }

    private static Command CreateSet(Func<NpgsqlConnectionStringBuilder, PostgresDatabase> openDatabase)
    {
        var command = new Command(
            "set", $"Change a user's Postino settings; '{DefaultKeyword}' removes a setting so the server default applies.");
        var location = AddLocation(command);
        var name = AddName(command);
        var loginDelay = new Option<string?>("--login-delay")
        {
            Description = "Minimum seconds between two logins (LOGIN-DELAY).",
            HelpName = "SECONDS",
        };
        var retention = new Option<string?>("--retention")
        {
            Description = "client | delete-on-retrieve | keep-days:N, optionally followed by ,max-age-days:N "
                + "(as Retention:Default); without max-age-days the server's maximum age still applies",
            HelpName = "POLICY",
        };
        var quotaBytes = new Option<string?>("--quota-bytes") { Description = "Mailbox size limit in octets.", HelpName = "N" };
        var quotaMessages = new Option<string?>("--quota-messages") { Description = "Mailbox message count limit.", HelpName = "N" };
        command.Options.Add(loginDelay);
        command.Options.Add(retention);
        command.Options.Add(quotaBytes);
        command.Options.Add(quotaMessages);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, async output =>
        {
            var user = ValidName(parseResult.GetValue(name));
            var changes = new List<(string Key, string? Value)>();
            AddChange(changes, UserSettings.LoginDelayKey, "--login-delay", parseResult.GetValue(loginDelay), IsCount);
            AddRetentionChanges(changes, parseResult.GetValue(retention));
            AddChange(changes, UserSettings.QuotaBytesKey, "--quota-bytes", parseResult.GetValue(quotaBytes), IsCount);
            AddChange(changes, UserSettings.QuotaMessagesKey, "--quota-messages", parseResult.GetValue(quotaMessages), IsCount);
            if (changes.Count == 0)
            {
                throw new UserCommandException(
                    "nothing to set: give --login-delay, --retention, --quota-bytes or --quota-messages");
            }

            var file = await OpenAsync(parseResult, location, PasswordSchemeRegistry.Default, openDatabase, cancellationToken);
            var updated = await file.UpdateAsync(
                user,
                record =>
                {
                    foreach (var (key, value) in changes)
                    {
                        // One spelling per setting: a userdb_-prefixed copy would otherwise shadow nothing but confuse.
                        record = record.WithExtra("userdb_" + key, null).WithExtra(key, value);
                    }

                    return record;
                },
                cancellationToken);
            if (!updated)
            {
                throw new UserCommandException($"no user {user}");
            }

            await output.Output.WriteLineAsync(Describe((await file.FindAsync(user, cancellationToken))!));
        }));
        return command;
    }

    private static void AddChange(
        List<(string Key, string? Value)> changes, string key, string option, string? value, Func<string, bool> isValid)
    {
        if (value is null)
        {
            return;
        }

        if (value == DefaultKeyword)
        {
            changes.Add((key, null));
            return;
        }

        if (!isValid(value))
        {
            throw new UserCommandException($"{option}: '{value}' is not valid");
        }

        changes.Add((key, value));
    }

    /// <summary>
    /// <c>--retention</c> takes the grammar of <c>Retention:Default</c>; the policy and the maximum age are stored as
    /// the two fields the resolver reads, and a policy given alone leaves the maximum age to the domain or default.
    /// </summary>
    private static void AddRetentionChanges(List<(string Key, string? Value)> changes, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value == DefaultKeyword)
        {
            changes.Add((UserSettings.RetentionKey, null));
            changes.Add((RetentionResolver.MaxAgeDaysKey, null));
            return;
        }

        if (!EffectiveRetention.TryParse(value, out var retention, out var problem))
        {
            throw new UserCommandException($"--retention: {problem}");
        }

        changes.Add((UserSettings.RetentionKey, retention.Policy.ToString()));
        changes.Add((
            RetentionResolver.MaxAgeDaysKey,
            retention.MaxAgeDays?.ToString(CultureInfo.InvariantCulture)));
    }

    private static bool IsCount(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= int.MaxValue;

    private static string Describe(UserRecord user)
    {
        var scheme = user.Password.Length == 0
            ? "(no password)"
            : PasswordSchemeRegistry.TrySplit(user.Password, out var name, out _) ? name : "?";
        var settings = UserSettings.Of(user);
        var text = new StringBuilder(user.Name).Append('\t').Append(scheme);
        if (settings.LoginDelay is { } delay)
        {
            text.Append(CultureInfo.InvariantCulture, $"\tlogin-delay={delay.TotalSeconds}");
        }

        if (settings.Retention is { } retention)
        {
            text.Append(CultureInfo.InvariantCulture, $"\tretention={retention}");
        }

        if (user.Extra.TryGetValue(RetentionResolver.MaxAgeDaysKey, out var maxAge))
        {
            text.Append(CultureInfo.InvariantCulture, $"\tmax-age-days={maxAge}");
        }

        if (settings.QuotaBytes is { } bytes)
        {
            text.Append(CultureInfo.InvariantCulture, $"\tquota-bytes={bytes}");
        }

        if (settings.QuotaMessages is { } messages)
        {
            text.Append(CultureInfo.InvariantCulture, $"\tquota-messages={messages}");
        }

        return text.ToString();
    }

    private static async Task<int> RunAsync(ParseResult parseResult, Func<InvocationConfiguration, Task> action)
    {
        var output = parseResult.InvocationConfiguration;
        try
        {
            await action(output);
            return 0;
        }
        catch (Exception e) when (e is UserCommandException or ConfigurationProblem or UsersFileException or IOException or UnauthorizedAccessException or Storage.StorageException)
        {
            await output.Error.WriteLineAsync($"postino user: {e.Message}");
            return 1;
        }
    }

    private static string ValidName(string? name) =>
        UserName.Problem(name) is { } problem ? throw new UserCommandException($"'{name}': {problem}") : name!;

    private static string ValidScheme(PasswordSchemeRegistry schemes, string? scheme)
    {
        var name = (scheme ?? PasswordSchemeRegistry.DefaultSchemeName).ToUpperInvariant();
        return schemes.TryGet(name, out var found) && found is IPasswordHasher
            ? name
            : throw new UserCommandException($"--scheme: {scheme} cannot make new passwords");
    }

    private static string ReadPassword(bool fromStdin, ISecretInput input, TextWriter prompts)
    {
        string? password;
        if (fromStdin)
        {
            password = input.ReadStandardInputLine();
        }
        else
        {
            if (!input.IsTerminal)
            {
                throw new UserCommandException("standard input is not a terminal: use --password-stdin to pipe a password");
            }

            password = input.Prompt("Password: ", prompts);
            var again = input.Prompt("Retype password: ", prompts);
            if (password != again)
            {
                throw new UserCommandException("the passwords do not match");
            }
        }

        if (string.IsNullOrEmpty(password))
        {
            throw new UserCommandException("the password is empty");
        }

        return password;
    }

    /// <summary>
    /// The users as <c>serve</c> finds them: in the database when the store (<c>--store</c>, <c>Store</c>) is
    /// PostgreSQL (its schema created or upgraded first), else the users file.
    /// </summary>
    private static async Task<IUserStore> OpenAsync(
        ParseResult parseResult,
        UsersFileOptions location,
        PasswordSchemeRegistry schemes,
        Func<NpgsqlConnectionStringBuilder, PostgresDatabase> openDatabase,
        CancellationToken cancellationToken)
    {
        var dataDir = parseResult.GetValue(location.DataDir);
        var config = parseResult.GetValue(location.Config);
        var configuration = ConfigurationLoader.Load(config, new Dictionary<string, string?> { [StoreSettings.Key] = parseResult.GetValue(location.Store) });
        var data = DataFolder.Resolve(dataDir, config, configuration);
        if (StoreSettings.Read(configuration, data).Postgres is { } postgres)
        {
            // A short-lived command: the process exit closes the pool.
            var database = openDatabase(postgres);
            try
            {
                await database.MigrateAsync(cancellationToken);
            }
            catch (Storage.StorageException exception)
            {
                throw new UserCommandException(exception.Message);
            }

            return new PostgresUserDirectory(database, schemes);
        }

        return await UsersFile.OpenAsync(data.UsersFile(configuration), schemes, cancellationToken);
    }

    /// <summary>
    /// The users file as <c>serve</c> finds it: <c>--data-dir</c>, else the config's <c>DataDir</c> (relative to the
    /// config file), else <c>./postino-data</c>; inside it the config's <c>Users:File</c> (default <c>users</c>).
    /// </summary>
    internal static string ResolveUsersFile(string? dataDir, FileInfo? config)
    {
        var configuration = ConfigurationLoader.Load(config, new Dictionary<string, string?>());
        return DataFolder.Resolve(dataDir, config, configuration).UsersFile(configuration);
    }

    private static UsersFileOptions AddLocation(Command command)
    {
        var options = new UsersFileOptions(CommonOptions.DataDir(), CommonOptions.Config(), CommonOptions.Store());
        command.Options.Add(options.DataDir);
        command.Options.Add(options.Config);
        command.Options.Add(options.Store);
        return options;
    }

    private static Argument<string> AddName(Command command)
    {
        var name = new Argument<string>("NAME") { Description = "The user name (UTF-8 allowed)." };
        command.Arguments.Add(name);
        return name;
    }

    private static Option<bool> AddPasswordStdin(Command command)
    {
        var option = new Option<bool>("--password-stdin")
        {
            Description = "Read the password from the first line of standard input instead of the terminal.",
        };
        command.Options.Add(option);
        return option;
    }

    private static Option<string?> AddScheme(Command command)
    {
        var option = new Option<string?>("--scheme")
        {
            Description = $"Password scheme (default {PasswordSchemeRegistry.DefaultSchemeName}; PLAIN is needed for APOP/CRAM-MD5, SCRAM-SHA-256 for SCRAM without plaintext).",
            HelpName = "SCHEME",
        };
        command.Options.Add(option);
        return option;
    }

    private sealed record UsersFileOptions(Option<string?> DataDir, Option<FileInfo?> Config, Option<string?> Store);
}

/// <summary>A user-facing error of <c>postino user</c>: printed, exit code 1.</summary>
internal sealed class UserCommandException(string message) : Exception(message);

/// <summary>Where passwords come from: the terminal (no echo) or standard input.</summary>
internal interface ISecretInput
{
    bool IsTerminal { get; }

    string? ReadStandardInputLine();

    string? Prompt(string prompt, TextWriter prompts);
}

/// <summary>The process's console.</summary>
internal sealed class TerminalSecretInput : ISecretInput
{
    public static TerminalSecretInput Instance { get; } = new();

    public bool IsTerminal => !Console.IsInputRedirected;

    public string? ReadStandardInputLine() => Console.In.ReadLine();

    public string? Prompt(string prompt, TextWriter prompts)
    {
        prompts.Write(prompt);
        prompts.Flush();
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                prompts.WriteLine();
                return password.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
    }
}
