using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Postino.Server.Auth;
using Postino.Server.Security;
using Postino.Server.Tests.Security;
using Postino.Storage.Users;
using Postino.Storage.Users.Schemes;

namespace Postino.Server.Tests.Auth;

/// <summary>The auth cache (Auth:CacheTtl): a slow hash is verified once per TTL, and never for a changed secret.</summary>
public sealed class AuthCacheTests
{
    private static readonly IPAddress Client = IPAddress.Parse("203.0.113.9");
    private readonly SignallingTimeProvider time = new();
    private readonly CountingScheme counting = new();
    private readonly MemoryUserDirectory users = new(UserRecord.Create("carol", "{ARGON2ID}counted:pw"));
    private readonly VerifiedPasswordCache cache;
    private readonly PasswordAuthenticator authenticator;

    public AuthCacheTests()
    {
        cache = new VerifiedPasswordCache(new VerifiedPasswordCacheOptions(), time);
        var policy = new LoginPolicy(new LoginPenalty(new LoginPenaltyOptions(), time), new LoginDelayTracker(new LoginDelayOptions(), time));
        authenticator = new PasswordAuthenticator(
            users,
            new PasswordVerifier(new PasswordSchemeRegistry([counting, new PlainScheme()]), 2),
            policy,
            NullLogger<PasswordAuthenticator>.Instance,
            new LoginThrottle(),
            cache);
    }

    [Fact]
    public async Task A_repeat_login_within_the_ttl_is_not_hashed_again_and_after_it_is()
    {
        Assert.True((await LoginAsync("pw")).Succeeded);
        Assert.True((await LoginAsync("pw")).Succeeded);
        Assert.Equal(1, counting.Verifications);

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.True((await LoginAsync("pw")).Succeeded);
        Assert.Equal(2, counting.Verifications);
    }

    [Fact]
    public async Task A_changed_password_invalidates_the_entry()
    {
        Assert.True((await LoginAsync("pw")).Succeeded);
        users.Set(UserRecord.Create("carol", "{ARGON2ID}counted:new"));

        Assert.Equal(AuthenticationOutcome.BadCredentials, (await FailAsync("pw")).Outcome);
        Assert.True((await LoginAsync("new")).Succeeded);
        Assert.Equal(3, counting.Verifications);
    }

    [Fact]
    public async Task A_removed_user_no_longer_logs_in()
    {
        Assert.True((await LoginAsync("pw")).Succeeded);
        users.Remove("carol");

        Assert.Equal(AuthenticationOutcome.BadCredentials, (await FailAsync("pw")).Outcome);
    }

    [Fact]
    public async Task Failures_are_never_remembered_as_success_and_do_not_spoil_the_entry()
    {
        Assert.Equal(AuthenticationOutcome.BadCredentials, (await FailAsync("guess")).Outcome);
        Assert.Equal(0, cache.Count);
        Assert.Equal(AuthenticationOutcome.BadCredentials, (await FailAsync("guess")).Outcome);
        Assert.Equal(2, counting.Verifications);

        Assert.True((await LoginAsync("pw")).Succeeded);
        Assert.Equal(AuthenticationOutcome.BadCredentials, (await FailAsync("PW")).Outcome);
        Assert.True((await LoginAsync("pw")).Succeeded);
        Assert.Equal(4, counting.Verifications);
    }

    [Fact]
    public void The_cache_keeps_a_keyed_digest_bound_to_user_password_and_secret_and_a_zero_ttl_turns_it_off()
    {
        cache.Remember("carol", "pw", "{X}1");
        Assert.True(cache.Matches("carol", "pw", "{X}1"));
        Assert.False(cache.Matches("carol", "pw", "{X}2"));
        Assert.False(cache.Matches("carol", "pw2", "{X}1"));
        Assert.False(cache.Matches("dave", "pw", "{X}1"));

        var off = new VerifiedPasswordCache(new VerifiedPasswordCacheOptions { Ttl = TimeSpan.Zero }, time);
        off.Remember("carol", "pw", "{X}1");
        Assert.False(off.Matches("carol", "pw", "{X}1"));
    }

    [Fact]
    public void The_cache_is_bounded()
    {
        var small = new VerifiedPasswordCache(new VerifiedPasswordCacheOptions { MaxEntries = 10 }, time);
        for (var i = 0; i < 100; i++)
        {
            small.Remember("user" + i, "pw", "{X}1");
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.InRange(small.Count, 1, 10);
        Assert.True(small.Matches("user99", "pw", "{X}1"));
    }

    private async Task<AuthenticationResult> LoginAsync(string password) =>
        await authenticator.AuthenticateAsync("carol", password, Client, CancellationToken.None);

    private async Task<AuthenticationResult> FailAsync(string password)
    {
        time.ExpectTimer();
        var attempt = authenticator.AuthenticateAsync("carol", password, Client, CancellationToken.None).AsTask();
        await time.TimerCreated;
        time.Advance(TimeSpan.FromMinutes(1));
        return await attempt;
    }
}
