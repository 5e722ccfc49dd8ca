using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Postino.Server.Auth;
using Postino.Server.Security;
using Postino.Server.Tests.Security;
using Postino.Storage.Users;
using Postino.Storage.Users.Schemes;

namespace Postino.Server.Tests.Auth;

public sealed class PasswordAuthenticatorTests
{
    private const string Sha256Secret = "{SHA256-CRYPT}$5$8sJkQq.msQAhstAP$RUME686wScNHozEhqvbOMsW6YRX7yIZB2d/GOOH6tT1";
    private static readonly IPAddress Client = IPAddress.Parse("203.0.113.9");

    private readonly SignallingTimeProvider time = new();
    private readonly CountingScheme counting = new();
    private readonly MemoryUserDirectory users;
    private readonly PasswordAuthenticator authenticator;

    public PasswordAuthenticatorTests()
    {
        users = new MemoryUserDirectory(
            UserRecord.Create("alice", Sha256Secret),
            UserRecord.Create("josé", "{PLAIN}pässwörd with spaces ✓"),
            UserRecord.Create("nopw", string.Empty),
            UserRecord.Create("slow", "{PLAIN}x").WithExtra(UserSettings.LoginDelayKey, "600"));
        var schemes = new PasswordSchemeRegistry(
            [counting, ShaCryptScheme.Sha256, new PlainScheme()]);
        var policy = new LoginPolicy(
            new LoginPenalty(new LoginPenaltyOptions(), time),
            new LoginDelayTracker(new LoginDelayOptions { DefaultDelay = TimeSpan.FromSeconds(30) }, time));
        authenticator = new PasswordAuthenticator(
            users, new PasswordVerifier(schemes, 2), policy, NullLogger<PasswordAuthenticator>.Instance);
    }

    [Fact]
    public async Task The_right_password_succeeds_at_once_with_the_users_login_delay()
    {
        var result = await authenticator.AuthenticateAsync("alice", "secret", Client, CancellationToken.None);
        Assert.Equal(AuthenticationOutcome.Success, result.Outcome);
        Assert.True(result.Succeeded);
        Assert.Equal("alice", result.User);
        Assert.Equal(TimeSpan.FromSeconds(30), result.LoginDelay);
    }

    [Fact]
    public async Task Utf8_passwords_with_spaces_work()
    {
        var result = await authenticator.AuthenticateAsync("josé", "pässwörd with spaces ✓", Client, CancellationToken.None);
        Assert.Equal(AuthenticationOutcome.Success, result.Outcome);
    }

    [Theory]
    [InlineData("alice", "wrong")]
    [InlineData("nobody", "secret")]
    [InlineData("nopw", "")]
    [InlineData("../etc", "secret")]
    [InlineData("", "secret")]
    public async Task Failures_look_alike_and_answer_only_after_the_penalty(string user, string password)
    {
        var attempt = authenticator.AuthenticateAsync(user, password, Client, CancellationToken.None).AsTask();
        await time.TimerCreated;

        Assert.False(attempt.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(attempt.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));

        var result = await attempt;
        Assert.Equal(new AuthenticationResult(AuthenticationOutcome.BadCredentials), result);
    }

    [Fact]
    public async Task An_unknown_user_costs_a_verification_like_a_known_one()
    {
        var attempt = authenticator.AuthenticateAsync("nobody", "secret", Client, CancellationToken.None).AsTask();
        await time.TimerCreated;
        time.Advance(TimeSpan.FromSeconds(2));
        await attempt;

        // One for the dummy hash of the default scheme.
        Assert.Equal(1, counting.Verifications);
    }

    [Fact]
    public async Task The_penalty_grows_with_new_passwords_and_a_success_resets_it()
    {
        Assert.Equal(AuthenticationOutcome.BadCredentials, await FailAfterAsync("alice", "one", TimeSpan.FromSeconds(2)));
        Assert.Equal(AuthenticationOutcome.BadCredentials, await FailAfterAsync("alice", "two", TimeSpan.FromSeconds(4)));
        Assert.Equal(AuthenticationOutcome.BadCredentials, await FailAfterAsync("alice", "two", TimeSpan.FromSeconds(4)));

        Assert.True((await authenticator.AuthenticateAsync("alice", "secret", Client, CancellationToken.None)).Succeeded);
        Assert.Equal(AuthenticationOutcome.BadCredentials, await FailAfterAsync("alice", "three", TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_login_before_the_delay_is_too_soon_and_later_ones_pass()
    {
        Assert.True((await authenticator.AuthenticateAsync("slow", "x", Client, CancellationToken.None)).Succeeded);
        time.Advance(TimeSpan.FromSeconds(599));

        var early = await authenticator.AuthenticateAsync("slow", "x", Client, CancellationToken.None);
        Assert.Equal(AuthenticationOutcome.TooSoon, early.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(600), early.LoginDelay);
        Assert.Equal(TimeSpan.FromSeconds(1), early.RetryAfter);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await authenticator.AuthenticateAsync("slow", "x", Client, CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task A_wrong_password_during_the_delay_is_just_a_wrong_password()
    {
        Assert.True((await authenticator.AuthenticateAsync("slow", "x", Client, CancellationToken.None)).Succeeded);
        Assert.Equal(AuthenticationOutcome.BadCredentials, await FailAfterAsync("slow", "y", TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task An_unreadable_directory_is_a_temporary_failure_without_penalty()
    {
        users.Failure = new UsersFileException("/data/users", 3, "unknown password scheme {NOPE}");
        var result = await authenticator.AuthenticateAsync("alice", "secret", Client, CancellationToken.None);
        Assert.Equal(AuthenticationOutcome.TemporaryFailure, result.Outcome);
        Assert.False(time.TimerCreated.IsCompleted);
    }

    [Fact]
    public async Task Invalid_names_never_reach_the_directory()
    {
        var attempt = authenticator.AuthenticateAsync("a/b", "x", Client, CancellationToken.None).AsTask();
        await time.TimerCreated;
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(AuthenticationOutcome.BadCredentials, (await attempt).Outcome);
        Assert.Equal(0, users.Lookups);
    }

    private async Task<AuthenticationOutcome> FailAfterAsync(string user, string password, TimeSpan expectedDelay)
    {
        time.ExpectTimer();
        var attempt = authenticator.AuthenticateAsync(user, password, Client, CancellationToken.None).AsTask();
        await time.TimerCreated;
        time.Advance(expectedDelay - TimeSpan.FromMilliseconds(1));
        Assert.False(attempt.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        return (await attempt).Outcome;
    }
}
