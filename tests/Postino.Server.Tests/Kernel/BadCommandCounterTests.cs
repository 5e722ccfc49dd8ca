using Postino.Server.Sessions;

namespace Postino.Server.Tests.Kernel;

public sealed class BadCommandCounterTests
{
    [Fact]
    public void The_limit_is_reached_at_the_limitth_bad_command()
    {
        var counter = new BadCommandCounter(3);

        Assert.False(counter.AddAndCheck());
        Assert.False(counter.AddAndCheck());
        Assert.True(counter.AddAndCheck());
        Assert.Equal(3, counter.Count);
    }

    [Fact]
    public void The_lower_limit_before_login_counts_only_commands_before_login()
    {
        var counter = new BadCommandCounter(10, limitBeforeLogin: 2);

        counter.Add(beforeLogin: true);
        Assert.False(counter.LimitReached(beforeLogin: true));
        counter.Add(beforeLogin: true);
        Assert.True(counter.LimitReached(beforeLogin: true));

        // Logged in now: only the overall limit applies, and it is far.
        Assert.False(counter.LimitReached(beforeLogin: false));
        Assert.Equal(2, counter.CountBeforeLogin);
    }

    [Fact]
    public void Bad_commands_after_login_do_not_count_towards_the_limit_before_login()
    {
        var counter = new BadCommandCounter(10, limitBeforeLogin: 1);

        counter.Add(beforeLogin: false);

        Assert.Equal(0, counter.CountBeforeLogin);
        Assert.False(counter.LimitReached(beforeLogin: true));
    }

    [Fact]
    public void A_limit_of_one_closes_on_the_first_bad_command_as_pop2_requires()
    {
        Assert.True(new BadCommandCounter(1).AddAndCheck());
    }
}
