using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Postino.Server.Auth;
using Postino.Server.Security;
using Postino.Server.Tests.Security;
using Postino.Storage.Users;
using Postino.Storage.Users.Schemes;

namespace Postino.Server.Tests.Auth;

/// <summary>Login throttling per address across connections: one check in flight, and the penalty on the address.</summary>
public sealed class LoginThrottleTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("2001:db8:1:2::7");
    private static readonly IPAddress SameSlash64 = IPAddress.Parse("2001:db8:1:2:ffff::1");
    private static readonly IPAddress Other = IPAddress.Parse("198.51.100.4");
    private readonly SignallingTimeProvider time = new();
    private readonly CountingScheme counting = new();
    private readonly LoginPenalty penalty;
    private readonly LoginPolicy policy;
    private readonly PasswordAuthenticator authenticator;

    public LoginThrottleTests()
    {
        var users = new MemoryUserDirectory(UserRecord.Create("carol", "{ARGON2ID}counted:pw"));
        penalty = new LoginPenalty(new LoginPenaltyOptions(), time);
        policy = new LoginPolicy(penalty, new LoginDelayTracker(new LoginDelayOptions(), time));
        authenticator = new PasswordAuthenticator(
            users,
            new PasswordVerifier(new PasswordSchemeRegistry([counting, new PlainScheme()]), 8),
            policy,
            NullLogger<PasswordAuthenticator>.Instance,
            new LoginThrottle());
    }

    [Fact]
    public async Task Parallel_guesses_from_one_address_are_checked_one_at_a_time_and_answered_one_penalty_after_another()
    {
        time.ExpectTimer();
        var guesses = new[] { "a", "b", "c" }
            .Select((guess, i) => authenticator.AuthenticateAsync("carol", guess, i == 1 ? SameSlash64 : Attacker, CancellationToken.None).AsTask())
            .ToList();
        await time.TimerCreated;
        Assert.Equal(1, counting.Verifications);

        // 2 s, then 4 s, then 8 s: the address pays each doubling, not each connection once.
        foreach (var (delay, answered) in new[] { (2, 1), (4, 2), (8, 3) })
        {
            time.ExpectTimer();
            time.Advance(TimeSpan.FromSeconds(delay) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(answered - 1, guesses.Count(g => g.IsCompleted));
            time.Advance(TimeSpan.FromMilliseconds(1));
            await WaitUntilAsync(() => guesses.Count(g => g.IsCompleted) == answered);
            if (answered < 3)
            {
                // The next guess is checked only now, once the previous one was answered.
                await time.TimerCreated;
                Assert.Equal(answered + 1, counting.Verifications);
            }
        }

        Assert.Equal(3, counting.Verifications);

        Assert.All(guesses, g => Assert.Equal(AuthenticationOutcome.BadCredentials, g.Result.Outcome));
    }

    [Fact]
    public async Task Another_address_is_not_held_up()
    {
        time.ExpectTimer();
        var guess = authenticator.AuthenticateAsync("carol", "wrong", Attacker, CancellationToken.None).AsTask();
        await time.TimerCreated;

        var result = await authenticator.AuthenticateAsync("carol", "pw", Other, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.False(guess.IsCompleted);
    }

    [Fact]
    public async Task Mechanisms_that_verify_on_their_own_pay_the_address_penalty_in_turn()
    {
        // APOP, CRAM-MD5 and SCRAM reject through the policy directly: three at once are answered at 2, 6 and 14 s.
        var rejects = new[] { "x", "y", "z" }
            .Select(guess => policy.RejectAsync(Attacker, "carol", guess, CancellationToken.None).AsTask())
            .ToList();

        foreach (var (at, answered) in new[] { (2, 1), (6, 2), (14, 3) })
        {
            var now = time.GetUtcNow();
            var target = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero) + TimeSpan.FromSeconds(at);
            time.Advance(target - now - TimeSpan.FromMilliseconds(1));
            Assert.Equal(answered - 1, rejects.Count(r => r.IsCompleted));
            time.Advance(TimeSpan.FromMilliseconds(1));
            await WaitUntilAsync(() => rejects.Count(r => r.IsCompleted) == answered);
        }

        Assert.Equal(TimeSpan.FromSeconds(15), penalty.NextDelay(Attacker));
    }

    [Fact]
    public async Task A_cancelled_wait_gives_the_turn_back()
    {
        var throttle = new LoginThrottle();
        var held = await throttle.EnterAsync(Attacker, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = throttle.EnterAsync(SameSlash64, cancel.Token).AsTask();
        Assert.False(waiting.IsCompleted);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held.Dispose();

        Assert.Equal(0, throttle.ActiveAddresses);
        (await throttle.EnterAsync(Attacker, CancellationToken.None)).Dispose();
    }

    [Fact]
    public async Task A_passed_on_turn_resumes_its_waiter_on_the_thread_that_passed_it_on()
    {
        var throttle = new LoginThrottle();
        var held = await throttle.EnterAsync(Attacker, CancellationToken.None);
        int? resumedOn = null;
        var waiting = EnterAndRecordAsync(throttle, () => resumedOn = Environment.CurrentManagedThreadId);
        Assert.False(waiting.IsCompleted);

        // Passed on from a thread like a socket's event thread (xunit's own threads carry a synchronization context,
        // where .NET never resumes inline): completed inside Dispose, on that thread, with no thread-pool hop.
        var (completedInDispose, passedOnFrom) = await OwnThread.Run(() =>
        {
            held.Dispose();
            return Task.FromResult((waiting.IsCompletedSuccessfully, Environment.CurrentManagedThreadId));
        });

        Assert.True(completedInDispose);
        Assert.Equal(passedOnFrom, resumedOn);
        (await waiting).Dispose();
        Assert.Equal(0, throttle.ActiveAddresses);
    }

    [Fact]
    public async Task A_turn_passed_on_from_an_inline_resumption_goes_to_the_pool_so_a_queue_never_deepens_the_stack()
    {
        var throttle = new LoginThrottle();
        var held = await throttle.EnterAsync(Attacker, CancellationToken.None);
        using var insideDispose = new ThreadLocal<bool>();
        bool? thirdInsideDispose = null;
        var second = EnterAndRecordAsync(throttle, () => { }, passOnAtOnce: true);
        var third = EnterAndRecordAsync(throttle, () => thirdInsideDispose = insideDispose.Value);

        var secondCompletedInDispose = await OwnThread.Run(() =>
        {
            insideDispose.Value = true;
            held.Dispose();
            insideDispose.Value = false;
            return Task.FromResult(second.IsCompletedSuccessfully);
        });

        Assert.True(secondCompletedInDispose);
        (await third.WaitAsync(TimeSpan.FromSeconds(30))).Dispose();
        Assert.False(thirdInsideDispose);
        Assert.Equal(0, throttle.ActiveAddresses);
    }

    private static async Task<IDisposable> EnterAndRecordAsync(LoginThrottle throttle, Action onResume, bool passOnAtOnce = false)
    {
        var lease = await throttle.EnterAsync(Attacker, CancellationToken.None).ConfigureAwait(false);
        onResume();
        if (passOnAtOnce)
        {
            lease.Dispose();
        }

        return lease;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            timeout.Token.ThrowIfCancellationRequested();
            await Task.Delay(1, CancellationToken.None);
        }
    }
}
