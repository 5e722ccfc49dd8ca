using Postino.Server.Auth;
using Postino.Storage.Users;
using Postino.Storage.Users.Schemes;

namespace Postino.Server.Tests.Auth;

public sealed class SecretLookupTests
{
    private const string ScramSecret =
        "{SCRAM-SHA-256}4096,IsvsJUDRc+CensQShpFy9A==,IzHSzun+hNGNBAeJVtxPuJIhVv1WpAsDusAWoiD6pdM=,QQl/e6mhuV8ltAm85fy6KQTpYM8UWhA1YQXD4odYRlA=";

    private readonly SecretLookup lookup = new(new InMemoryUserDirectory(
        UserRecord.Create("plain", "{PLAIN}pass with spaces"),
        UserRecord.Create("clear", "{CLEARTEXT}tanstaaf"),
        UserRecord.Create("scram", ScramSecret),
        UserRecord.Create("hashed", "{SHA256-CRYPT}$5$8sJkQq.msQAhstAP$RUME686wScNHozEhqvbOMsW6YRX7yIZB2d/GOOH6tT1")));

    [Fact]
    public async Task Plain_secrets_are_given_for_apop_and_cram_md5()
    {
        Assert.Equal("pass with spaces", await lookup.FindPlainSecretAsync("plain", CancellationToken.None));
        Assert.Equal("tanstaaf", await lookup.FindPlainSecretAsync("clear", CancellationToken.None));
    }

    [Theory]
    [InlineData("hashed")]
    [InlineData("scram")]
    [InlineData("nobody")]
    [InlineData("../x")]
    public async Task Others_have_no_plain_secret(string user)
    {
        Assert.Null(await lookup.FindPlainSecretAsync(user, CancellationToken.None));
    }

    [Fact]
    public async Task Scram_uses_the_stored_keys()
    {
        var found = await lookup.FindScramSha256Async("scram", CancellationToken.None);
        Assert.True(found.Exists);
        Assert.True(found.Credentials.Matches("secret"));
        Assert.Equal(4096, found.Credentials.Iterations);
    }

    [Fact]
    public async Task Scram_keys_are_derived_for_plain_users_with_a_stable_salt()
    {
        var first = await lookup.FindScramSha256Async("plain", CancellationToken.None);
        var second = await lookup.FindScramSha256Async("plain", CancellationToken.None);
        Assert.True(first.Exists);
        Assert.True(first.Credentials.Matches("pass with spaces"));
        Assert.Equal(first.Credentials.Salt, second.Credentials.Salt);
    }

    [Theory]
    [InlineData("nobody")]
    [InlineData("hashed")]
    public async Task Unknown_users_get_stable_made_up_keys(string user)
    {
        var first = await lookup.FindScramSha256Async(user, CancellationToken.None);
        var second = await lookup.FindScramSha256Async(user, CancellationToken.None);
        Assert.False(first.Exists);
        Assert.Equal(first.Credentials.Salt, second.Credentials.Salt);
        Assert.Equal(ScramSha256Credentials.DefaultIterations, first.Credentials.Iterations);
        Assert.Equal(32, first.Credentials.StoredKey.Length);
    }
}
