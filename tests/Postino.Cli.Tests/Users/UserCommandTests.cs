using System.CommandLine;
using Postino.Cli.Commands;
using Postino.Storage.Retention;
using Postino.Storage.Users;
using Postino.Storage.Users.Schemes;

namespace Postino.Cli.Tests.Users;

public sealed class UserCommandTests : IDisposable
{
    private static readonly PasswordSchemeRegistry Schemes =
        PasswordSchemeRegistry.CreateDefault(new Argon2idScheme(new Argon2Parameters(256, 1, 1)));

    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "postino-cli-" + Guid.NewGuid().ToString("N"));
    private readonly ScriptedSecretInput input = new();

    private string UsersPath => Path.Combine(dataDir, "users");

    public void Dispose()
    {
        if (Directory.Exists(dataDir))
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Add_with_password_stdin_writes_an_argon2id_user_into_data_users()
    {
        input.StandardInput.Enqueue("pässwörd with spaces ✓");
        var run = await RunAsync("user", "add", "josé", "--password-stdin", "--data-dir", dataDir);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("added user josé", run.Output, StringComparison.Ordinal);
        var user = await FindAsync("josé");
        Assert.StartsWith("{ARGON2ID}$argon2id$", user!.Password, StringComparison.Ordinal);
        Assert.True(Schemes.Verify("pässwörd with spaces ✓", user.Password));
    }

    [Fact]
    public async Task Add_prompts_twice_on_a_terminal()
    {
        input.IsTerminal = true;
        input.Prompts.Enqueue("secret");
        input.Prompts.Enqueue("secret");
        var run = await RunAsync("user", "add", "demo", "--data-dir", dataDir, "--scheme", "sha512-crypt");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Password: ", "Retype password: "], input.PromptsShown);
        Assert.StartsWith("{SHA512-CRYPT}$6$", (await FindAsync("demo"))!.Password, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mismatched_prompts_change_nothing()
    {
        input.IsTerminal = true;
        input.Prompts.Enqueue("secret");
        input.Prompts.Enqueue("secreT");
        var run = await RunAsync("user", "add", "demo", "--data-dir", dataDir);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("the passwords do not match", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(UsersPath));
    }

    [Fact]
    public async Task Without_password_stdin_a_piped_input_is_refused()
    {
        input.IsTerminal = false;
        var run = await RunAsync("user", "add", "demo", "--data-dir", dataDir);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not a terminal", run.Error, StringComparison.Ordinal);
        Assert.Empty(input.PromptsShown);
    }

    [Theory]
    [InlineData("../evil", "contains '..'")]
    [InlineData("a/b", "path separator")]
    [InlineData("a:b", "contains ':'")]
    public async Task Bad_names_are_refused(string name, string problem)
    {
        input.StandardInput.Enqueue("x");
        var run = await RunAsync("user", "add", name, "--password-stdin", "--data-dir", dataDir);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(problem, run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(UsersPath));
    }

    [Fact]
    public async Task Add_twice_and_an_empty_password_fail()
    {
        await AddAsync("demo", "one");
        input.StandardInput.Enqueue("two");
        var again = await RunAsync("user", "add", "demo", "--password-stdin", "--data-dir", dataDir);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("user demo already exists", again.Error, StringComparison.Ordinal);

        // The name is checked before the password is asked for.
        Assert.Equal("two", input.StandardInput.Dequeue());

        input.StandardInput.Enqueue(string.Empty);
        var empty = await RunAsync("user", "add", "other", "--password-stdin", "--data-dir", dataDir);
        Assert.Equal(1, empty.ExitCode);
        Assert.Contains("the password is empty", empty.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Passwd_changes_only_the_password()
    {
        await AddAsync("demo", "one");
        await RunAsync("user", "set", "demo", "--login-delay", "60", "--data-dir", dataDir);

        input.StandardInput.Enqueue("two");
        var run = await RunAsync("user", "passwd", "demo", "--password-stdin", "--data-dir", dataDir, "--scheme", "PLAIN");

        Assert.Equal(0, run.ExitCode);
        var user = await FindAsync("demo");
        Assert.Equal("{PLAIN}two", user!.Password);
        Assert.Equal("60", user.Extra[UserSettings.LoginDelayKey]);

        input.StandardInput.Enqueue("x");
        var missing = await RunAsync("user", "passwd", "nobody", "--password-stdin", "--data-dir", dataDir);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no user nobody", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_shows_users_in_file_order_with_scheme_and_settings()
    {
        await AddAsync("b", "x");
        await AddAsync("a", "x");
        await RunAsync("user", "set", "a", "--retention", "keep-days:30", "--quota-bytes", "1000", "--data-dir", dataDir);

        var run = await RunAsync("user", "list", "--data-dir", dataDir);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            ["b\tARGON2ID", "a\tARGON2ID\tretention=keep-days:30\tquota-bytes=1000"],
            run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task Remove_drops_the_user()
    {
        await AddAsync("demo", "x");
        Assert.Equal(0, (await RunAsync("user", "remove", "demo", "--data-dir", dataDir)).ExitCode);
        Assert.Null(await FindAsync("demo"));
        var again = await RunAsync("user", "remove", "demo", "--data-dir", dataDir);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("no user demo", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Set_writes_postino_extra_fields_and_default_removes_them()
    {
        await AddAsync("demo", "x");
        var run = await RunAsync(
            "user", "set", "demo", "--login-delay", "900", "--retention", "delete-on-retrieve",
            "--quota-messages", "5000", "--data-dir", dataDir);
        Assert.Equal(0, run.ExitCode);

        var settings = UserSettings.Of((await FindAsync("demo"))!);
        Assert.Equal(TimeSpan.FromSeconds(900), settings.LoginDelay);
        Assert.Equal(RetentionPolicy.DeleteOnRetrieve, settings.Retention);
        Assert.Equal(5000, settings.QuotaMessages);
        Assert.Contains(
            ":postino_login_delay=900 postino_retention=delete-on-retrieve postino_quota_messages=5000\n",
            await File.ReadAllTextAsync(UsersPath),
            StringComparison.Ordinal);

        await RunAsync("user", "set", "demo", "--login-delay", "default", "--data-dir", dataDir);
        Assert.Null(UserSettings.Of((await FindAsync("demo"))!).LoginDelay);
    }

    [Theory]
    [InlineData("keep-days:2,max-age-days:30", "keep-days:2,max-age-days:30")]
    [InlineData("client,max-age-days:1", "client,max-age-days:1")]
    [InlineData("max-age-days:7", "client,max-age-days:7")]
    [InlineData("delete-on-retrieve", "delete-on-retrieve,max-age-days:90")]
    public async Task Set_retention_takes_the_grammar_of_the_server_default(string value, string resolved)
    {
        await AddAsync("demo", "x");
        await RunAsync("user", "set", "demo", "--retention", "keep-days:1,max-age-days:5", "--data-dir", dataDir);
        var run = await RunAsync("user", "set", "demo", "--retention", value, "--data-dir", dataDir);
        Assert.Equal(0, run.ExitCode);

        var users = await UsersFile.OpenAsync(UsersPath, Schemes);
        var defaults = EffectiveRetention.TryParse("keep-days:30,max-age-days:90", out var fallback, out _) ? fallback : null;
        var resolver = new RetentionResolver(new RetentionOptions { Default = defaults! }, users);
        Assert.Equal(resolved, (await resolver.ResolveAsync("demo", CancellationToken.None)).ToString());
    }

    [Theory]
    [InlineData("--retention", "max-age-days:0")]
    [InlineData("--retention", "keep-days:1,keep-days:2")]
    [InlineData("--login-delay", "soon")]
    [InlineData("--login-delay", "-5")]
    [InlineData("--retention", "forever")]
    [InlineData("--retention", "keep-days:")]
    [InlineData("--quota-bytes", "1e9")]
    public async Task Set_refuses_bad_values(string option, string value)
    {
        await AddAsync("demo", "x");
        var before = await File.ReadAllTextAsync(UsersPath);
        var run = await RunAsync("user", "set", "demo", option, value, "--data-dir", dataDir);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal(before, await File.ReadAllTextAsync(UsersPath));
    }

    [Fact]
    public async Task Set_needs_something_to_set()
    {
        await AddAsync("demo", "x");
        var run = await RunAsync("user", "set", "demo", "--data-dir", dataDir);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("nothing to set", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_file_gives_the_data_dir_and_users_file()
    {
        Directory.CreateDirectory(dataDir);
        var config = Path.Combine(dataDir, "postino.json");
        await File.WriteAllTextAsync(config, """{ "DataDir": "data", "Users": { "File": "passwd" } }""");
        input.StandardInput.Enqueue("x");

        var run = await RunAsync("user", "add", "demo", "--password-stdin", "--config", config);

        Assert.Equal(0, run.ExitCode);
        Assert.True(File.Exists(Path.Combine(dataDir, "data", "passwd")));
        Assert.Equal(Path.Combine(dataDir, "data", "passwd"), UserCommand.ResolveUsersFile(null, new FileInfo(config)));
        Assert.Equal(Path.GetFullPath(Path.Combine("elsewhere", "passwd")), UserCommand.ResolveUsersFile("elsewhere", new FileInfo(config)));
    }

    [Fact]
    public async Task A_missing_config_file_is_reported()
    {
        var run = await RunAsync("user", "list", "--config", Path.Combine(dataDir, "absent.json"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("does not exist", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_users_file_is_reported_with_its_line()
    {
        Directory.CreateDirectory(dataDir);
        await File.WriteAllTextAsync(UsersPath, "ok:{PLAIN}x\nbad:{NOPE}x\n");
        var run = await RunAsync("user", "list", "--data-dir", dataDir);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{UsersPath}:2: user bad: unknown password scheme {{NOPE}}", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_data_dir_is_postino_data()
    {
        Assert.Equal(Path.GetFullPath(Path.Combine("postino-data", "users")), UserCommand.ResolveUsersFile(null, null));
    }

    private async Task AddAsync(string name, string password)
    {
        input.StandardInput.Enqueue(password);
        var run = await RunAsync("user", "add", name, "--password-stdin", "--data-dir", dataDir);
        Assert.Equal(0, run.ExitCode);
    }

    private async Task<UserRecord?> FindAsync(string name)
    {
        var file = await UsersFile.OpenAsync(UsersPath, Schemes);
        return await file.FindAsync(name, CancellationToken.None);
    }

    private async Task<CommandRun> RunAsync(params string[] args)
    {
        var root = new RootCommand { UserCommand.Create(Schemes, input) };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return new CommandRun(exitCode, output.ToString(), error.ToString());
    }

    private sealed record CommandRun(int ExitCode, string Output, string Error);

    private sealed class ScriptedSecretInput : ISecretInput
    {
        public bool IsTerminal { get; set; }

        public Queue<string> StandardInput { get; } = new();

        public Queue<string> Prompts { get; } = new();

        public List<string> PromptsShown { get; } = [];

        public string? ReadStandardInputLine() => StandardInput.TryDequeue(out var line) ? line : null;

        public string? Prompt(string prompt, TextWriter prompts)
        {
            PromptsShown.Add(prompt);
            return Prompts.TryDequeue(out var line) ? line : null;
        }
    }
}
