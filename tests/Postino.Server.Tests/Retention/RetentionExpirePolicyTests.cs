using Postino.Server.Retention;
using Postino.Storage.Retention;
using Postino.Storage.Users;

namespace Postino.Server.Tests.Retention;

public sealed class RetentionExpirePolicyTests
{
    [Fact]
    public async Task Before_login_the_default_with_user_then_the_users_own_value()
    {
        var users = new MemoryUserDirectory(
            UserRecord.Create("dora", "{PLAIN}x").WithExtra("postino_retention", "delete-on-retrieve"),
            UserRecord.Create("finn", "{PLAIN}x"));
        var resolver = new RetentionResolver(new RetentionOptions { Default = Parse("keep-days:14") }, users);
        var policy = new RetentionExpirePolicy(resolver);

        // The store resolves the user's retention when the maildrop opens at login; the maildrop carries it.
        var dora = await resolver.ResolveAsync("dora", CancellationToken.None);
        var finn = await resolver.ResolveAsync("finn", CancellationToken.None);

        Assert.Equal("14 USER", policy.GetExpireValue(null, null));
        Assert.Equal("0", policy.GetExpireValue("dora", dora));
        Assert.Equal("14", policy.GetExpireValue("finn", finn));
    }

    [Fact]
    public void Without_per_user_settings_the_value_has_no_user_suffix()
    {
        var policy = new RetentionExpirePolicy(new RetentionResolver(new RetentionOptions()));

        Assert.Equal("NEVER", policy.GetExpireValue(null, null));
        Assert.Equal("NEVER", policy.GetExpireValue("anyone", null));
    }

    [Theory]
    [InlineData(null, null, "NEVER")]
    [InlineData(0, null, "0")]
    [InlineData(30, 10, "10")]
    [InlineData(null, 90, "90")]
    public void The_capability_text_is_the_soonest_a_retrieved_message_can_go(int? afterRetrieval, int? maxAge, string expected)
    {
        Assert.Equal(expected, RetentionExpirePolicy.Format(new RetentionRule(afterRetrieval, maxAge)));
    }

    private static EffectiveRetention Parse(string text) =>
        EffectiveRetention.TryParse(text, out var retention, out var problem) ? retention : throw new ArgumentException(problem);
}
