using Postino.Storage.Users;

namespace Postino.Storage.Tests.Maildir;

public sealed class UserDirectoryQuotaSourceTests
{
    private static readonly MailboxQuota ServerDefault = new(MaxBytes: 1_000_000, MaxMessages: 500);

    [Theory]
    [InlineData("quota_rule", "*:storage=1G", 1L << 30, 500L)]
    [InlineData("userdb_quota_rule", "*:storage=2048", 2048L * 1024, 500L)]
    [InlineData("quota_rule", "*:bytes=1000:messages=10", 1000L, 10L)]
    [InlineData("quota_rule", "*:storage=0", null, 500L)]
    [InlineData("quota_rule", "Trash:storage=+100M", 1_000_000L, 500L)]
    [InlineData("quota_rule", "*:storage=lots", 1_000_000L, 500L)]
    [InlineData("postino_quota_bytes", "4096", 4096L, 500L)]
    [InlineData("postino_quota_messages", "0", 1_000_000L, null)]
    public async Task Reads_postino_and_dovecot_quota_fields(string key, string value, long? bytes, long? messages)
    {
        var source = new UserDirectoryQuotaSource(new MemoryUserDirectory(UserRecord.Create("bob", "{PLAIN}x").WithExtra(key, value)), ServerDefault);

        var quota = await source.GetQuotaAsync("bob", CancellationToken.None);

        Assert.Equal(new MailboxQuota(bytes, messages), quota);
    }

    [Fact]
    public async Task Postino_fields_win_over_dovecot_rules_and_unknown_users_get_the_default()
    {
        var user = UserRecord.Create("bob", "{PLAIN}x").WithExtra("quota_rule", "*:storage=1M").WithExtra("postino_quota_bytes", "10");
        var source = new UserDirectoryQuotaSource(new MemoryUserDirectory(user), ServerDefault);

        Assert.Equal(10, (await source.GetQuotaAsync("bob", CancellationToken.None)).MaxBytes);
        Assert.Equal(ServerDefault, await source.GetQuotaAsync("nobody", CancellationToken.None));
    }

    [Fact]
    public void Zero_means_unlimited_as_in_dovecot()
    {
        Assert.True(new MailboxQuota(0, 0).IsUnlimited);
        Assert.Null((new MailboxQuota(5, 5) with { MaxBytes = 0 }).MaxBytes);
        Assert.Equal(5, new MailboxQuota(0, 5).MaxMessages);
    }
}
