using System.Net;
using Microsoft.Extensions.Time.Testing;
using Postino.Server.Security;

namespace Postino.Server.Tests.Security;

public sealed class LoginPenaltyTests
{
    private static readonly IPAddress Client = IPAddress.Parse("198.51.100.1");
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Distinct_failures_double_the_delay_from_2_up_to_15_seconds()
    {
        var penalty = new LoginPenalty(new LoginPenaltyOptions(), time);
        var delays = Enumerable.Range(1, 6)
            .Select(i => penalty.RecordFailure(Client, "alice", "guess" + i).TotalSeconds)
            .ToArray();
        Assert.Equal([2, 4, 8, 15, 15, 15], delays);
    }

    [Fact]
    public void Repeating_the_same_wrong_password_for_the_same_user_does_not_grow_it()
    {
        var penalty = new LoginPenalty(new LoginPenaltyOptions(), time);
        Assert.Equal(TimeSpan.FromSeconds(2), penalty.RecordFailure(Client, "alice", "old password"));
        Assert.Equal(TimeSpan.FromSeconds(2), penalty.RecordFailure(Client, "alice", "old password"));
        Assert.Equal(TimeSpan.FromSeconds(2), penalty.RecordFailure(Client, "alice", "old password"));

        // The same password for another user, or another password, is a new attempt.
        Assert.Equal(TimeSpan.FromSeconds(4), penalty.RecordFailure(Client, "bob", "old password"));
        Assert.Equal(TimeSpan.FromSeconds(8), penalty.RecordFailure(Client, "alice", "other"));
        Assert.Equal(TimeSpan.FromSeconds(8), penalty.RecordFailure(Client, "alice", "old password"));
    }

    [Fact]
    public void Failures_without_a_password_to_compare_always_count()
    {
        var penalty = new LoginPenalty(new LoginPenaltyOptions(), time);
        Assert.Equal(TimeSpan.FromSeconds(2), penalty.RecordFailure(Client, "alice", null));
        Assert.Equal(TimeSpan.FromSeconds(4), penalty.RecordFailure(Client, "alice", null));
    }

    [Fact]
    public void A_success_resets_the_penalty()
    {
        var penalty = new LoginPenalty(new LoginPenaltyOptions(), time);
        penalty.RecordFailure(Client, "alice", "a");
        penalty.RecordFailure(Client, "alice", "b");
        Assert.Equal(TimeSpan.FromSeconds(8), penalty.NextDelay(Client));

        penalty.RecordSuccess(Client);
        Assert.Equal(TimeSpan.FromSeconds(2), penalty.NextDelay(Client));
        Assert.Equal(0, penalty.TrackedAddresses);
    }

    [Fact]
    public void The_penalty_is_per_address_and_per_ipv6_64()
    {
        var penalty = new LoginPenalty(new LoginPenaltyOptions(), time);
        penalty.RecordFailure(IPAddress.Parse("2001:db8:0:1::1"), "alice", "a");
        Assert.Equal(TimeSpan.FromSeconds(4), penalty.RecordFailure(IPAddress.Parse("2001:db8:0:1::ffff"), "alice", "b"));
        Assert.Equal(TimeSpan.FromSeconds(2), penalty.RecordFailure(IPAddress.Parse("2001:db8:0:2::1"), "alice", "c"));
        Assert.Equal(TimeSpan.FromSeconds(2), penalty.RecordFailure(Client, "alice", "d"));
    }

    [Fact]
    public void A_quiet_address_is_forgotten()
    {
        var penalty = new LoginPenalty(new LoginPenaltyOptions { ForgetAfter = TimeSpan.FromMinutes(15) }, time);
        penalty.RecordFailure(Client, "alice", "a");
        penalty.RecordFailure(Client, "alice", "b");
        time.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(TimeSpan.FromSeconds(8), penalty.NextDelay(Client));
        time.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(TimeSpan.FromSeconds(2), penalty.RecordFailure(Client, "alice", "c"));
    }

    [Fact]
    public void Tracked_addresses_are_bounded()
    {
        var penalty = new LoginPenalty(new LoginPenaltyOptions { MaxTrackedAddresses = 100 }, time);
        for (var i = 0; i < 1000; i++)
        {
            penalty.RecordFailure(new IPAddress([10, 0, (byte)(i / 256), (byte)(i % 256)]), "u", "p");
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.InRange(penalty.TrackedAddresses, 1, 100);
    }

    [Fact]
    public async Task Waiting_uses_the_clock_and_holds_no_thread()
    {
        var penalty = new LoginPenalty(new LoginPenaltyOptions(), time);
        var delay = penalty.RecordFailure(Client, "alice", "a");
        var wait = penalty.WaitAsync(delay, CancellationToken.None);

        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        await wait;
        Assert.True(wait.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Waiting_can_be_cancelled()
    {
        var penalty = new LoginPenalty(new LoginPenaltyOptions(), time);
        using var cancellation = new CancellationTokenSource();
        var wait = penalty.WaitAsync(TimeSpan.FromSeconds(15), cancellation.Token);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
