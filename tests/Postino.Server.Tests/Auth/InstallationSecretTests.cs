using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using Postino.Server.Auth;
using Postino.Server.Tests.Delivery;
using Postino.Storage.Files;
using Postino.Storage.Users;

namespace Postino.Server.Tests.Auth;

[SupportedOSPlatform("linux")]
public sealed class InstallationSecretTests : IDisposable
{
    private readonly TempDirectory _data = new();

    private string SecretPath => Path.Combine(_data.Path, InstallationSecret.FileName);

    [Fact]
    public void Is_created_0600_at_first_use_and_the_same_after_a_restart()
    {
        var first = InstallationSecret.LoadOrCreate(_data.Path);
        var again = InstallationSecret.LoadOrCreate(_data.Path);

        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(SecretPath));
        Assert.Equal(32, new FileInfo(SecretPath).Length);
        Assert.Equal(first.Derive("p", "alice"), again.Derive("p", "alice"));
        Assert.NotEqual(first.Derive("p", "alice"), first.Derive("p", "bob"));
        Assert.Empty(Directory.GetFiles(_data.Path, "*.tmp"));
    }

    [Fact]
    public async Task Processes_starting_at_once_agree_on_one_key()
    {
        var secrets = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => InstallationSecret.LoadOrCreate(_data.Path))));

        Assert.Single(secrets.Select(s => Convert.ToHexString(s.Derive("p", "alice"))).Distinct());
    }

    [Fact]
    public void A_secret_readable_by_others_is_refused()
    {
        InstallationSecret.LoadOrCreate(_data.Path);
        File.SetUnixFileMode(SecretPath, (UnixFileMode)0b110_100_100);

        var refused = Assert.Throws<IOException>(() => InstallationSecret.LoadOrCreate(_data.Path));

        Assert.Contains("0600", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_symlinked_secret_is_not_followed()
    {
        var elsewhere = Path.Combine(_data.Path, "elsewhere");
        File.WriteAllBytes(elsewhere, new byte[32]);
        File.CreateSymbolicLink(SecretPath, elsewhere);

        Assert.Throws<IOException>(() => InstallationSecret.LoadOrCreate(_data.Path));
    }

    [Fact]
    public async Task A_plain_user_and_an_unknown_name_get_salts_of_one_keyed_function_nobody_can_compute()
    {
        var secret = InstallationSecret.LoadOrCreate(_data.Path);
        var withBob = new SecretLookup(new MemoryUserDirectory(UserRecord.Create("bob", "{PLAIN}hunter2")), secret);
        var withoutBob = new SecretLookup(new MemoryUserDirectory(), secret);

        var known = await withBob.FindScramSha256CredentialAsync("bob", CancellationToken.None);
        var unknown = await withoutBob.FindScramSha256CredentialAsync("bob", CancellationToken.None);
        var afterRestart = await new SecretLookup(new MemoryUserDirectory(), InstallationSecret.LoadOrCreate(_data.Path))
            .FindScramSha256CredentialAsync("bob", CancellationToken.None);

        Assert.NotNull(known);
        Assert.NotNull(unknown);
        Assert.Equal(known.Salt, unknown.Salt);
        Assert.Equal(known.Iterations, unknown.Iterations);
        Assert.Equal(unknown.Salt, afterRestart!.Salt);

        // The salt the old code gave {PLAIN} users, which anyone could compute from the name.
        Assert.NotEqual(SHA256.HashData(Encoding.UTF8.GetBytes("postino-scram\0bob"))[..16], known.Salt);
    }

    public void Dispose() => _data.Dispose();
}
