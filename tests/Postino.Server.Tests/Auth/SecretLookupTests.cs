using Postino.Server.Auth;
using Postino.Storage.Users;
using Postino.Storage.Users.Schemes;

namespace Postino.Server.Tests.Auth;

public sealed class SecretLookupTests
{
    private const string ScramSecret =
        "{SCRAM-SHA-256}4096,IsvsJUDRc+CensQShpFy9A==,IzHSzun+hNGNBAeJVtxPuJIhVv1WpAsDusAWoiD6pdM=,QQl/e6mhuV8ltAm85fy6KQTpYM8UWhA1YQXD4odYRlA=";

    private readonly SecretLookup lookup = new(new MemoryUserDirectory(
        UserRecord.Create("plain", "{PLAIN}pass with spaces"),
        UserRecord.Create("clear", "{CLEARTEXT}tanstaaf"),
        UserRecord.Create("scram", ScramSecret),
        UserRecord.Create("hashed", "{SHA256-CRYPT}$5$8sJkQq.msQAhstAP$RUME686wScNHozEhqvbOMsW6YRX7yIZB2d/GOOH6tT1")));

    [Fact]
    public async Task Plain_secrets_are_given_for_apop_and_cram_md5()
    {
        Assert.Equal("pass with spaces", await lookup.FindPlainSecretAsync("plain", CancellationToken.None));
        Assert.Equal("tanstaaf", await lookup.FindPlainSecretAsync("clear", CancellationToken.None));
        var cram = await lookup.FindCramMd5SecretAsync("clear", CancellationToken.None);
        Assert.Equal("clear", cram!.User);
        Assert.Equal("tanstaaf", cram.Secret);
    }

    [Theory]
    [InlineData("hashed")]
    [InlineData("scram")]
    [InlineData("nobody")]
    [InlineData("../x")]
    public async Task Others_have_no_plain_secret(string user)
    {
        Assert.Null(await lookup.FindPlainSecretAsync(user, CancellationToken.None));
        Assert.Null(await lookup.FindCramMd5SecretAsync(user, CancellationToken.None));
    }

    [Fact]
    public async Task Scram_uses_the_stored_keys()
    {
        var found = await lookup.FindScramSha256CredentialAsync("scram", CancellationToken.None);
        Assert.NotNull(found);
        Assert.Equal("scram", found.User);
        Assert.Equal(4096, found.Iterations);
        var derived = ScramSha256Credentials.FromPassword("secret", found.Salt, found.Iterations);
        Assert.Equal(derived.StoredKey, found.StoredKey);
        Assert.Equal(derived.ServerKey, found.ServerKey);
    }

    [Fact]
    public async Task Scram_keys_are_derived_for_plain_users_with_a_stable_salt()
    {
        var first = await lookup.FindScramSha256CredentialAsync("plain", CancellationToken.None);
        var second = await lookup.FindScramSha256CredentialAsync("plain", CancellationToken.None);
        Assert.NotNull(first);
        Assert.Equal(first.Salt, second!.Salt);
        var derived = ScramSha256Credentials.FromPassword("pass with spaces", first.Salt, first.Iterations);
        Assert.Equal(derived.StoredKey, first.StoredKey);
    }

    [Theory]
    [InlineData("nobody")]
    [InlineData("hashed")]
    [InlineData("a/b")]
    public async Task Users_without_scram_keys_get_made_up_keys_behind_the_salt_a_plain_user_would_have(string user)
    {
        var first = await lookup.FindScramSha256CredentialAsync(user, CancellationToken.None);
        var second = await lookup.FindScramSha256CredentialAsync(user, CancellationToken.None);
        var plain = await lookup.FindScramSha256CredentialAsync("plain", CancellationToken.None);

        Assert.NotNull(first);
        Assert.Equal(first.Salt, second!.Salt);
        Assert.NotEqual(first.StoredKey, second.StoredKey);
        Assert.Equal(plain!.Salt.Length, first.Salt.Length);
        Assert.Equal(plain.Iterations, first.Iterations);
    }
}
