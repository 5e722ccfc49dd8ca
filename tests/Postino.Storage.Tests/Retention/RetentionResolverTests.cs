using Postino.Storage.Retention;
using Postino.Storage.Users;

namespace Postino.Storage.Tests.Retention;

public sealed class RetentionResolverTests
{
    private static readonly RetentionOptions Options = new()
    {
        Default = Parse("keep-days:30"),
        Domains = new Dictionary<string, EffectiveRetention>(StringComparer.OrdinalIgnoreCase)
        {
            ["shop.example"] = Parse("delete-on-retrieve,max-age-days:90"),
        },
    };

    private readonly RetentionResolver _resolver = new(Options, new MemoryUserDirectory(
        UserRecord.Create("plain", "{PLAIN}x"),
        UserRecord.Create("client", "{PLAIN}x").WithExtra("postino_retention", "client"),
        UserRecord.Create("bob@shop.example", "{PLAIN}x").WithExtra("userdb_postino_retention", "keep-days:7"),
        UserRecord.Create("eve@shop.example", "{PLAIN}x").WithExtra(RetentionResolver.MaxAgeDaysKey, "0"),
        UserRecord.Create("old", "{PLAIN}x").WithExtra(RetentionResolver.MaxAgeDaysKey, "365")));

    [Theory]
    [InlineData("plain", "keep-days:30", 30)]
    [InlineData("unknown", "keep-days:30", 30)]
    [InlineData("client", "client", null)]
    [InlineData("ann@SHOP.example", "delete-on-retrieve,max-age-days:90", 0)]
    [InlineData("bob@shop.example", "keep-days:7,max-age-days:90", 7)]
    [InlineData("eve@shop.example", "delete-on-retrieve", 0)]
    [InlineData("old", "keep-days:30,max-age-days:365", 30)]
    public async Task User_overrides_domain_overrides_default(string user, string expected, int? expire)
    {
        var retention = await _resolver.ResolveAsync(user, CancellationToken.None);

        Assert.Equal(expected, retention.ToString());
        Assert.Equal(expire, retention.Rule.DaysRetrievedMailMayStay);
    }

    [Fact]
    public async Task Delete_on_retrieve_is_what_the_commit_enforces()
    {
        Assert.True(await _resolver.DeletesRetrievedAsync("ann@shop.example", CancellationToken.None));
        Assert.False(await _resolver.DeletesRetrievedAsync("plain", CancellationToken.None));
        Assert.Equal(new RetentionRule(0, 90), await _resolver.GetRuleAsync("ann@shop.example", CancellationToken.None));
    }

    [Fact]
    public void Announces_the_default_and_that_users_may_differ()
    {
        Assert.Equal(30, _resolver.Default.Rule.DaysRetrievedMailMayStay);
        Assert.True(_resolver.MayVaryPerUser);
        Assert.False(new RetentionResolver(new RetentionOptions()).MayVaryPerUser);
        Assert.Null(new RetentionResolver(new RetentionOptions()).Default.Rule.DaysRetrievedMailMayStay);
    }

    [Theory]
    [InlineData("client", "client")]
    [InlineData("delete-on-retrieve", "delete-on-retrieve")]
    [InlineData("keep-days:0", "keep-days:0")]
    [InlineData("keep-days:14, max-age-days:60", "keep-days:14,max-age-days:60")]
    [InlineData("max-age-days:60", "client,max-age-days:60")]
    public void Parses_the_configuration_form(string text, string expected)
    {
        Assert.True(EffectiveRetention.TryParse(text, out var retention, out _));
        Assert.Equal(expected, retention.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("forever")]
    [InlineData("keep-days:")]
    [InlineData("keep-days:-1")]
    [InlineData("max-age-days:0")]
    [InlineData("client,client")]
    [InlineData("max-age-days:5,client")]
    [InlineData("client,max-age-days:5,max-age-days:6")]
    public void Refuses_anything_else_and_says_what_is_accepted(string? text)
    {
        Assert.False(EffectiveRetention.TryParse(text, out _, out var problem));
        Assert.Contains("keep-days:N", problem, StringComparison.Ordinal);
    }

    private static EffectiveRetention Parse(string text) =>
        EffectiveRetention.TryParse(text, out var retention, out var problem) ? retention : throw new ArgumentException(problem);
}
