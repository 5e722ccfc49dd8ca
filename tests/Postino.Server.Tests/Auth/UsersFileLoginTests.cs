using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Postino.Server.Auth;
using Postino.Server.Security;
using Postino.Server.Tests.Security;
using Postino.Storage.Users;
using Postino.Storage.Users.Schemes;

namespace Postino.Server.Tests.Auth;

/// <summary>Logins against a real users file written the way an administrator migrating from Dovecot would have it.</summary>
public sealed class UsersFileLoginTests : IDisposable
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");
    private readonly TempDirectory directory = new("postino-login-");
    private readonly SignallingTimeProvider time = new();

    public void Dispose() => directory.Dispose();

    [Theory]
    [InlineData("blf", "secret")]
    [InlineData("sha512", "secret")]
    [InlineData("crypt", "secret")]
    [InlineData("ssha", "pässwörd ✓")]
    [InlineData("pbkdf2", "pass with spaces")]
    [InlineData("scram", "secret")]
    [InlineData("plain", "pass with spaces")]
    public async Task Every_scheme_logs_in_from_a_dovecot_file(string user, string password)
    {
        var authenticator = await CreateAsync();
        var result = await authenticator.AuthenticateAsync(user, password, Client, CancellationToken.None);
        Assert.Equal(AuthenticationOutcome.Success, result.Outcome);
        Assert.Equal(user, result.User);
    }

    [Fact]
    public async Task A_user_added_while_running_can_log_in_at_once()
    {
        var authenticator = await CreateAsync();
        var editor = await UsersFile.OpenAsync(Path.Combine(directory.Path, "users"));
        await editor.AddAsync(UserRecord.Create("late", "{PLAIN}now"), CancellationToken.None);

        Assert.True((await authenticator.AuthenticateAsync("late", "now", Client, CancellationToken.None)).Succeeded);
    }

    private async Task<PasswordAuthenticator> CreateAsync()
    {
        var path = Path.Combine(directory.Path, "users");
        await File.WriteAllTextAsync(
            path,
            "# migrated from Dovecot\n"
            + "blf:{BLF-CRYPT}$2y$05$nHoYBf6YFPL8.vCkPICH4Ou5C5rFxS98h.Q8eIl6uLVr6oL3A5F5i:1000:1000::/home/blf::\n"
            + "sha512:{SHA512-CRYPT}$6$TP7x3/sMw1ISU6uo$UU3.nEYyrkVZVSb8/Z8NbZv4kWP1i1Q8HaTqCTG2GlU5SmQYX4YpSFgHW5d9ahIkBDwnXUdkkBbWfxw8wXAxL1\n"
            + "crypt:$5$4YuVRPfGCmrsHvgN$EpOWgwzmUeBhd.5TcN5KbxG.8XAZ41F12x49sEs9uT5\n"
            + "ssha:{SSHA512}+H7SHntzowDRCLA+2TUqKPjVEqIaywyG5bRCliFfrtvI1pmw26H/g4Pe3SDVm/+hcN0yXnGQA4yfSz26wBKkBdROUH8=:::::: userdb_quota_rule=*:storage=1G\n"
            + "pbkdf2:{PBKDF2}$1$fYp7RykBQl2yIHwr$5000$91b735bb29e3caea15877db51c1b10b3aa63e550\n"
            + "scram:{SCRAM-SHA-256}4096,IsvsJUDRc+CensQShpFy9A==,IzHSzun+hNGNBAeJVtxPuJIhVv1WpAsDusAWoiD6pdM=,QQl/e6mhuV8ltAm85fy6KQTpYM8UWhA1YQXD4odYRlA=\n"
            + "plain:{PLAIN}pass with spaces\n",
            new UTF8Encoding(false));
        var users = await UsersFile.OpenAsync(path);
        var policy = new LoginPolicy(
            new LoginPenalty(new LoginPenaltyOptions(), time),
            new LoginDelayTracker(new LoginDelayOptions(), time));
        return new PasswordAuthenticator(
            users, new PasswordVerifier(PasswordSchemeRegistry.Default, 2), policy, NullLogger<PasswordAuthenticator>.Instance);
    }
}
