using System.Text;
using Postino.Storage.Users;
using Postino.Storage.Users.Schemes;

namespace Postino.Storage.Tests.Users;

public sealed class UsersFileEditTests : IDisposable
{
    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private string UsersPath => directory.Combine("users");

    [Fact]
    public async Task Adding_keeps_comments_blank_lines_and_untouched_lines_as_written()
    {
        File.WriteAllText(UsersPath, "# managed by hand\n\nalice:{PLAIN}x:1000:1000::/home/alice::userdb_quota_rule=*:storage=1G\n", new UTF8Encoding(false));
        var file = await UsersFile.OpenAsync(UsersPath);

        Assert.True(await file.AddAsync(UserRecord.Create("josé", "{PLAIN}pässwörd"), CancellationToken.None));

        Assert.Equal(
            "# managed by hand\n\nalice:{PLAIN}x:1000:1000::/home/alice::userdb_quota_rule=*:storage=1G\njosé:{PLAIN}pässwörd\n",
            File.ReadAllText(UsersPath, Encoding.UTF8));
    }

    [Fact]
    public async Task Adding_a_taken_name_changes_nothing()
    {
        var file = await UsersFile.OpenAsync(UsersPath);
        Assert.True(await file.AddAsync(UserRecord.Create("demo", "{PLAIN}one"), CancellationToken.None));
        Assert.False(await file.AddAsync(UserRecord.Create("demo", "{PLAIN}two"), CancellationToken.None));
        Assert.Equal("{PLAIN}one", (await file.FindAsync("demo", CancellationToken.None))!.Password);
    }

    [Fact]
    public async Task Updating_rewrites_only_that_line_and_keeps_its_other_fields()
    {
        File.WriteAllText(UsersPath, "a:{PLAIN}x:1:2:gecos:/home/a:/bin/sh:userdb_mail=maildir:~/Mail foo\nb:{PLAIN}y::::::\n");
        var file = await UsersFile.OpenAsync(UsersPath);

        Assert.True(await file.UpdateAsync(
            "a",
            user => (user with { Password = "{PLAIN}new" }).WithExtra(UserSettings.LoginDelayKey, "60"),
            CancellationToken.None));

        Assert.Equal(
            "a:{PLAIN}new:1:2:gecos:/home/a:/bin/sh:userdb_mail=maildir:~/Mail foo postino_login_delay=60\nb:{PLAIN}y::::::\n",
            File.ReadAllText(UsersPath));
        Assert.False(await file.UpdateAsync("nobody", user => user, CancellationToken.None));
    }

    [Fact]
    public async Task Removing_drops_the_line()
    {
        File.WriteAllText(UsersPath, "# c\na:{PLAIN}x\nb:{PLAIN}y\n");
        var file = await UsersFile.OpenAsync(UsersPath);
        Assert.True(await file.RemoveAsync("a", CancellationToken.None));
        Assert.False(await file.RemoveAsync("a", CancellationToken.None));
        Assert.Equal("# c\nb:{PLAIN}y\n", File.ReadAllText(UsersPath));
        Assert.Null(await file.FindAsync("a", CancellationToken.None));
    }

    [Fact]
    public async Task A_new_file_is_owner_only_and_no_temporary_file_is_left()
    {
        var file = await UsersFile.OpenAsync(UsersPath);
        await file.AddAsync(UserRecord.Create("demo", "{PLAIN}x"), CancellationToken.None);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(UsersPath));
        }

        Assert.Equal(["users", "users.lock"], Directory.GetFiles(directory.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Fields_that_would_break_the_format_are_refused()
    {
        var file = await UsersFile.OpenAsync(UsersPath);
        await Assert.ThrowsAsync<ArgumentException>(() => file.AddAsync(UserRecord.Create("a:b", "{PLAIN}x"), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => file.AddAsync(UserRecord.Create("a", "{PLAIN}x:y"), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => file.AddAsync(UserRecord.Create("a", "{MD5}x"), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => file.AddAsync(
            UserRecord.Create("a", "{PLAIN}x").WithExtra("k", "two words"), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => file.AddAsync(
            UserRecord.Create("a", "{PLAIN}x") with { Home = "/a\nb" }, CancellationToken.None));
        Assert.False(File.Exists(UsersPath));
    }

    [Fact]
    public async Task Concurrent_editors_lose_no_user()
    {
        var first = await UsersFile.OpenAsync(UsersPath);
        var second = await UsersFile.OpenAsync(UsersPath);
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? first : second).AddAsync(UserRecord.Create($"user{i}", "{PLAIN}x"), CancellationToken.None)));

        var reopened = await UsersFile.OpenAsync(UsersPath);
        Assert.Equal(20, (await reopened.ListAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_change_on_disk_is_seen_by_the_next_lookup()
    {
        File.WriteAllText(UsersPath, "a:{PLAIN}x\n");
        var file = await UsersFile.OpenAsync(UsersPath);
        Assert.Null(await file.FindAsync("b", CancellationToken.None));

        File.WriteAllText(UsersPath, "a:{PLAIN}x\nb:{PLAIN}y\n");
        Assert.NotNull(await file.FindAsync("b", CancellationToken.None));

        // Another writer (a second UsersFile, like the CLI beside a running server).
        var other = await UsersFile.OpenAsync(UsersPath);
        await other.RemoveAsync("a", CancellationToken.None);
        Assert.Null(await file.FindAsync("a", CancellationToken.None));
    }

    [Fact]
    public async Task A_file_broken_while_running_fails_lookups_naming_the_line()
    {
        File.WriteAllText(UsersPath, "a:{PLAIN}x\n");
        var file = await UsersFile.OpenAsync(UsersPath);
        File.WriteAllText(UsersPath, "a:{PLAIN}x\nb:{NOPE}y\n");

        var error = await Assert.ThrowsAsync<UsersFileException>(async () => await file.FindAsync("a", CancellationToken.None));
        Assert.Equal(2, error.LineNumber);
    }

    [Fact]
    public async Task Edits_written_by_one_scheme_registry_verify()
    {
        var schemes = PasswordSchemeRegistry.CreateDefault(new Argon2idScheme(new Argon2Parameters(256, 1, 1)));
        var file = await UsersFile.OpenAsync(UsersPath, schemes);
        await file.AddAsync(UserRecord.Create("demo", schemes.Hash("pässwörd ✓")), CancellationToken.None);

        var reopened = await UsersFile.OpenAsync(UsersPath, schemes);
        var demo = await reopened.FindAsync("demo", CancellationToken.None);
        Assert.True(schemes.Verify("pässwörd ✓", demo!.Password));
    }
}
