using Postino.Storage.Retention;

namespace Postino.Storage.Tests.Retention;

public sealed class RetentionRuleTests
{
    [Theory]
    [InlineData(null, null, null)]
    [InlineData(0, null, 0)]
    [InlineData(30, null, 30)]
    [InlineData(30, 10, 10)]
    [InlineData(5, 10, 5)]
    [InlineData(null, 90, 90)]
    public void Retrieved_mail_may_stay_until_the_soonest_rule_removes_it(int? afterRetrieval, int? maxAge, int? expected)
    {
        Assert.Equal(expected, new RetentionRule(afterRetrieval, maxAge).DaysRetrievedMailMayStay);
    }

    [Fact]
    public void Only_client_without_max_age_never_expires()
    {
        Assert.False(RetentionRule.ClientDecides.Expires);
        Assert.True(new RetentionRule(0, null).Expires);
        Assert.True(new RetentionRule(null, 1).Expires);
    }
}
