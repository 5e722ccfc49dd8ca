using System.Text;
using Postino.Storage.Users;

namespace Postino.Storage.Tests.Users;

public sealed class UsersFileParseTests : IDisposable
{
    private const string Sha512 =
        "{SHA512-CRYPT}$6$MEAT/o3OrH6R3lmv$S0M3PVx0GiK7shjUwIXO3Xg7xjlver78j27VUdq5pozVNdl4CH3uuxgzGQe05Wf4oeP63IuGM5GbAmJWDtsS3.";

    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task A_dovecot_passwd_file_loads_with_all_fields()
    {
        var file = await OpenAsync(
            "# Dovecot passwd-file\n"
            + "\n"
            + $"alice:{Sha512}:1000:1000:Alice Liddell:/home/alice:/bin/false:userdb_quota_rule=*:storage=1G postino_login_delay=60\n"
            + "bob:{PLAIN}pass with spaces\n"
            + "carol:{PLAIN}x:::::\n"
            + "josé:{PLAIN}pässwörd\n");

        var alice = await file.FindAsync("alice", CancellationToken.None);
        Assert.NotNull(alice);
        Assert.Equal(Sha512, alice.Password);
        Assert.Equal("1000", alice.Uid);
        Assert.Equal("1000", alice.Gid);
        Assert.Equal("Alice Liddell", alice.Gecos);
        Assert.Equal("/home/alice", alice.Home);
        Assert.Equal("/bin/false", alice.Shell);
        Assert.Equal("*:storage=1G", alice.Extra["userdb_quota_rule"]);
        Assert.Equal(TimeSpan.FromSeconds(60), UserSettings.Of(alice).LoginDelay);

        var bob = await file.FindAsync("bob", CancellationToken.None);
        Assert.Equal("{PLAIN}pass with spaces", bob!.Password);
        Assert.Equal(string.Empty, bob.Home);
        Assert.Empty(bob.Extra);

        Assert.NotNull(await file.FindAsync("carol", CancellationToken.None));
        Assert.NotNull(await file.FindAsync("josé", CancellationToken.None));
        Assert.Null(await file.FindAsync("Alice", CancellationToken.None));
        Assert.Null(await file.FindAsync("../alice", CancellationToken.None));
        Assert.Equal(["alice", "bob", "carol", "josé"], (await file.ListAsync(CancellationToken.None)).Select(u => u.Name));
    }

    [Fact]
    public async Task Postino_settings_are_read_from_extra_fields()
    {
        var file = await OpenAsync(
            "a:{PLAIN}x::::::postino_retention=keep-days:30 postino_quota_bytes=1048576 postino_quota_messages=500\n"
            + "b:{PLAIN}x::::::userdb_postino_retention=delete-on-retrieve userdb_postino_login_delay=0\n"
            + "c:{PLAIN}x::::::nopassword\n");

        var a = UserSettings.Of((await file.FindAsync("a", CancellationToken.None))!);
        Assert.Equal(new RetentionPolicy(RetentionMode.KeepDays, 30), a.Retention);
        Assert.Equal(1048576, a.QuotaBytes);
        Assert.Equal(500, a.QuotaMessages);
        Assert.Null(a.LoginDelay);

        var b = UserSettings.Of((await file.FindAsync("b", CancellationToken.None))!);
        Assert.Equal(RetentionPolicy.DeleteOnRetrieve, b.Retention);
        Assert.Equal(TimeSpan.Zero, b.LoginDelay);

        var c = (await file.FindAsync("c", CancellationToken.None))!;
        Assert.Equal(string.Empty, c.Extra["nopassword"]);
    }

    [Fact]
    public async Task Crlf_line_ends_and_a_byte_order_mark_are_accepted()
    {
        var file = await OpenAsync("\uFEFFa:{PLAIN}x\r\nb:{PLAIN}y\r\n");
        Assert.Equal("{PLAIN}x", (await file.FindAsync("a", CancellationToken.None))!.Password);
        Assert.Equal("{PLAIN}y", (await file.FindAsync("b", CancellationToken.None))!.Password);
    }

    [Fact]
    public async Task A_missing_file_is_an_empty_directory()
    {
        var file = await UsersFile.OpenAsync(directory.Combine("none"));
        Assert.Null(await file.FindAsync("demo", CancellationToken.None));
        Assert.Empty(await file.ListAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("justaname", 3, "expected name:password")]
    [InlineData("bob:{MD5}1a1dc91c907325c69271ddf0c944bc72", 3, "user bob: unknown password scheme {MD5}")]
    [InlineData("bob:{SHA512-CRYPT}$6$short$x", 3, "user bob: malformed {SHA512-CRYPT} password")]
    [InlineData("bob:$1$abc$def", 3, "user bob: malformed {CRYPT} password")]
    [InlineData(":{PLAIN}x", 3, "user name is empty")]
    [InlineData("a..b:{PLAIN}x", 3, "user name contains '..'")]
    [InlineData("a/b:{PLAIN}x", 3, "user name contains a path separator")]
    [InlineData("bob:{PLAIN}x::::::postino_login_delay=soon", 3, "user bob: postino_login_delay must be a number of seconds")]
    [InlineData("bob:{PLAIN}x::::::postino_retention=forever", 3, "user bob: postino_retention must be")]
    [InlineData("bob:{PLAIN}x::::::postino_quota_bytes=-1", 3, "user bob: postino_quota_bytes must be a number")]
    [InlineData("bob:{PLAIN}x::::::=value", 3, "user bob: extra field '=value' has no name")]
    [InlineData("alice:{PLAIN}again", 3, "user alice is already on line 2")]
    public async Task A_bad_line_stops_the_load_naming_file_and_line(string badLine, int lineNumber, string problem)
    {
        var path = Write($"# users\nalice:{{PLAIN}}x\n{badLine}\nzed:{{PLAIN}}z\n");
        var error = await Assert.ThrowsAsync<UsersFileException>(() => UsersFile.OpenAsync(path));
        Assert.Equal(path, error.FilePath);
        Assert.Equal(lineNumber, error.LineNumber);
        Assert.StartsWith($"{path}:{lineNumber}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_names_its_line()
    {
        var path = directory.Combine("users");
        await File.WriteAllBytesAsync(path, [.. "a:{PLAIN}x\n"u8, (byte)'b', 0xFF, .. ":{PLAIN}x\n"u8]);
        var error = await Assert.ThrowsAsync<UsersFileException>(() => UsersFile.OpenAsync(path));
        Assert.Equal(2, error.LineNumber);
        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_password_field_is_a_user_without_password_login()
    {
        var file = await OpenAsync("nopw:\n");
        Assert.Equal(string.Empty, (await file.FindAsync("nopw", CancellationToken.None))!.Password);
    }

    private string Write(string text)
    {
        var path = directory.Combine("users");
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private Task<UsersFile> OpenAsync(string text) => UsersFile.OpenAsync(Write(text));
}
