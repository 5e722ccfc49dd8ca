using Microsoft.Extensions.Time.Testing;
using Postino.Cli.Fetch;
using Postino.Fetch.Protocol;

namespace Postino.Cli.Tests.Fetch;

/// <summary><c>pop3://</c> takes STLS whenever offered; <c>--starttls</c> requires it, <c>--no-tls</c> refuses it.</summary>
public sealed class TlsFlagTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("postino-tls-flags-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("pop3://a@h", false, false, TlsMode.StartTlsIfOffered)]
    [InlineData("pop3://a@h", true, false, TlsMode.StartTls)]
    [InlineData("pop3://a@h", false, true, TlsMode.None)]
    [InlineData("pop3s://a@h", false, true, TlsMode.Implicit)]
    [InlineData("pop2://a@h", false, true, TlsMode.None)]
    public void Url_and_flags_give_the_tls_mode(string url, bool startTls, bool noTls, TlsMode expected)
    {
        var accounts = AccountFactory.TryCreate(Settings(url, startTls, noTls), new FakeTimeProvider(), out var error);

        Assert.Null(error);
        Assert.Equal(expected, Assert.Single(accounts!).Tls);
    }

    [Fact]
    public void Starttls_and_no_tls_together_are_a_usage_error()
    {
        var accounts = AccountFactory.TryCreate(Settings("pop3://a@h", true, true), new FakeTimeProvider(), out var error);

        Assert.Null(accounts);
        Assert.Contains("--no-tls", error, StringComparison.Ordinal);
    }

    private FetchSettings Settings(string url, bool startTls, bool noTls)
    {
        var passwordFile = Path.Combine(_dir, "password");
        File.WriteAllText(passwordFile, "x");
        return new FetchSettings
        {
            Url = url,
            PasswordFile = passwordFile,
            StartTls = startTls,
            NoTls = noTls,
            Destination = "maildir:" + Path.Combine(_dir, "Maildir"),
            StatePath = Path.Combine(_dir, "state.json"),
        };
    }
}
