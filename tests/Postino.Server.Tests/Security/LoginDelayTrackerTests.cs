using Microsoft.Extensions.Time.Testing;
using Postino.Server.Security;
using Postino.Storage.Users;

namespace Postino.Server.Tests.Security;

public sealed class LoginDelayTrackerTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    private static UserRecord User(string name, int? delaySeconds = null) =>
        delaySeconds is { } seconds
            ? UserRecord.Create(name, "{PLAIN}x").WithExtra(UserSettings.LoginDelayKey, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : UserRecord.Create(name, "{PLAIN}x");

    [Fact]
    public void Without_a_delay_every_login_is_allowed()
    {
        var tracker = new LoginDelayTracker(new LoginDelayOptions(), time);
        Assert.True(tracker.TryRecordLogin(User("a"), out _));
        Assert.True(tracker.TryRecordLogin(User("a"), out _));
        Assert.Equal(TimeSpan.Zero, tracker.DelayFor(User("a")));
    }

    [Fact]
    public void The_server_default_applies_to_users_without_their_own()
    {
        var tracker = new LoginDelayTracker(new LoginDelayOptions { DefaultDelay = TimeSpan.FromSeconds(300) }, time);
        var user = User("a");
        Assert.Equal(TimeSpan.FromSeconds(300), tracker.DefaultDelay);
        Assert.True(tracker.TryRecordLogin(user, out _));

        time.Advance(TimeSpan.FromSeconds(299));
        Assert.False(tracker.TryRecordLogin(user, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(tracker.TryRecordLogin(user, out _));
    }

    [Fact]
    public void A_refused_login_does_not_restart_the_wait()
    {
        var tracker = new LoginDelayTracker(new LoginDelayOptions(), time);
        var user = User("a", 60);
        Assert.True(tracker.TryRecordLogin(user, out _));
        time.Advance(TimeSpan.FromSeconds(50));
        Assert.False(tracker.TryRecordLogin(user, out _));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(tracker.TryRecordLogin(user, out _));
    }

    [Fact]
    public void The_users_file_value_overrides_the_default_both_ways()
    {
        var tracker = new LoginDelayTracker(new LoginDelayOptions { DefaultDelay = TimeSpan.FromSeconds(600) }, time);
        var patient = User("patient", 0);
        var strict = User("strict", 3600);
        Assert.Equal(TimeSpan.Zero, tracker.DelayFor(patient));
        Assert.Equal(TimeSpan.FromHours(1), tracker.DelayFor(strict));

        Assert.True(tracker.TryRecordLogin(patient, out _));
        Assert.True(tracker.TryRecordLogin(patient, out _));
        Assert.True(tracker.TryRecordLogin(strict, out _));
        time.Advance(TimeSpan.FromMinutes(30));
        Assert.False(tracker.TryRecordLogin(strict, out _));
    }

    [Fact]
    public void Users_are_tracked_separately()
    {
        var tracker = new LoginDelayTracker(new LoginDelayOptions { DefaultDelay = TimeSpan.FromSeconds(60) }, time);
        Assert.True(tracker.TryRecordLogin(User("a"), out _));
        Assert.True(tracker.TryRecordLogin(User("b"), out _));
        Assert.False(tracker.TryRecordLogin(User("a"), out _));
    }
}
