using Postino.Fetch.Destinations;
using Postino.Fetch.Fetching;
using Postino.Fetch.Pop3;
using Postino.Fetch.Protocol;
using Postino.Fetch.Tests.Support;

namespace Postino.Fetch.Tests.Dovecot;

/// <summary>The fetcher against a real Dovecot 2.3 POP3 server: both modes, STLS and implicit TLS, every login method.</summary>
[Collection(DovecotCollection.Name)]
public sealed class DovecotFetchTests(DovecotServer dovecot) : IDisposable
{
    private const string Password = DovecotServer.Password;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Message(int n) =>
        $"From: sender{n}@example.org\nTo: someone@example.org\nSubject: dovecot {n}\nMessage-ID: <{n}.{Guid.NewGuid():N}@example.org>\n\n.a dot line\n..two dots\n.\nend {n}\n";

    private async Task<(string User, List<string> Messages)> MailboxWithAsync(int count)
    {
        var user = dovecot.TakeUser();
        var messages = new List<string>();
        for (var i = 1; i <= count; i++)
        {
            var message = Message(i);
            messages.Add(message);
            await dovecot.DeliverAsync(user, message);
        }

        return (user, messages.Order(StringComparer.Ordinal).ToList());
    }

    private FetchAccount Account(string user, FetchMode mode, TlsMode tls, TlsOptions? tlsOptions = null, Pop3AuthMethod auth = Pop3AuthMethod.Auto) => new()
    {
        Name = user,
        Host = "127.0.0.1",
        Port = tls == TlsMode.Implicit ? dovecot.Pop3sPort : dovecot.Pop3Port,
        Tls = tls,
        TlsOptions = tlsOptions ?? new TlsOptions { Insecure = true },
        User = user,
        Password = _ => Task.FromResult(Password),
        AuthMethod = auth,
        Mode = mode,
        StatePath = _dir.Combine("state.json"),
        Destination = new MaildirDestination(_dir.Combine("Maildir")),
    };

    private void AssertSuccess(FetchResult result) =>
        Assert.True(result.Outcome == FetchOutcome.Success, $"{result.Outcome}: {result.Message}\n{dovecot.LogTail()}");

    private static Fetcher NewFetcher(Func<FetchPoint, CancellationToken, Task>? fault = null) =>
        new(new FetchOptions { RetryDelays = [], FaultInjection = fault });

    [Fact]
    public async Task Keep_mode_over_stls_downloads_once_and_leaves_the_mail()
    {
        var (user, messages) = await MailboxWithAsync(3);
        var account = Account(user, FetchMode.Keep, TlsMode.StartTls, new TlsOptions { Sha256Fingerprint = dovecot.CertificateSha256 });

        var first = await NewFetcher().FetchAsync(account, CancellationToken.None);
        var second = await NewFetcher().FetchAsync(account, CancellationToken.None);

        AssertSuccess(first);
        Assert.Equal(3, first.Downloaded);
        Assert.Equal((FetchOutcome.Success, 0, 3), (second.Outcome, second.Downloaded, second.AlreadyDownloaded));
        Assert.Equal(messages, MaildirContents.Read(_dir.Combine("Maildir")));
        Assert.Equal(3, dovecot.CountOnServer(user));
    }

    [Fact]
    public async Task Delete_mode_over_implicit_tls_empties_the_server_mailbox()
    {
        var (user, messages) = await MailboxWithAsync(4);

        var result = await NewFetcher().FetchAsync(Account(user, FetchMode.Delete, TlsMode.Implicit), CancellationToken.None);

        AssertSuccess(result);
        Assert.Equal((4, 4), (result.Downloaded, result.Deleted));
        Assert.Equal(messages, MaildirContents.Read(_dir.Combine("Maildir")));
        Assert.Equal(0, dovecot.CountOnServer(user));
    }

    [Fact]
    public async Task Self_signed_certificate_is_refused_without_insecure_or_a_pin()
    {
        var (user, _) = await MailboxWithAsync(1);

        var result = await NewFetcher().FetchAsync(Account(user, FetchMode.Delete, TlsMode.Implicit, new TlsOptions()), CancellationToken.None);

        Assert.Equal(FetchOutcome.TlsFailure, result.Outcome);
        Assert.Equal(1, dovecot.CountOnServer(user));
    }

    [Theory]
    [InlineData(Pop3AuthMethod.UserPass)]
    [InlineData(Pop3AuthMethod.Apop)]
    [InlineData(Pop3AuthMethod.Plain)]
    [InlineData(Pop3AuthMethod.Login)]
    [InlineData(Pop3AuthMethod.ScramSha256)]
    [InlineData(Pop3AuthMethod.Auto)]
    public async Task Every_login_method_works_against_dovecot(Pop3AuthMethod method)
    {
        var (user, messages) = await MailboxWithAsync(1);

        var result = await NewFetcher().FetchAsync(Account(user, FetchMode.Keep, TlsMode.StartTls, auth: method), CancellationToken.None);

        AssertSuccess(result);
        Assert.Equal(messages, MaildirContents.Read(_dir.Combine("Maildir")));
    }

    [Fact]
    public async Task Wrong_password_stops_the_account_with_auth()
    {
        var (user, _) = await MailboxWithAsync(1);

        var result = await NewFetcher().FetchAsync(
            Account(user, FetchMode.Delete, TlsMode.None) with { Password = _ => Task.FromResult("wrong") }, CancellationToken.None);

        Assert.Equal(FetchOutcome.AuthenticationFailed, result.Outcome);
        Assert.Contains("[AUTH]", result.Message, StringComparison.Ordinal);
        Assert.Equal(1, dovecot.CountOnServer(user));
    }

    [Theory]
    [InlineData(FetchPoint.StoredRecorded)]
    [InlineData(FetchPoint.BeforeQuit)]
    [InlineData(FetchPoint.Committed)]
    public async Task Crash_in_delete_mode_then_rerun_loses_and_duplicates_nothing(FetchPoint point)
    {
        var (user, messages) = await MailboxWithAsync(3);
        var crashes = 0;
        // Crash at the second message (mid-run), or at the only BeforeQuit.
        var crashAt = point == FetchPoint.BeforeQuit ? 1 : 2;
        var crashing = NewFetcher((p, _) => p == point && ++crashes == crashAt ? throw new SimulatedCrash() : Task.CompletedTask);

        var crashed = await Record.ExceptionAsync(async () => AssertSuccess(await crashing.FetchAsync(Account(user, FetchMode.Delete, TlsMode.None), CancellationToken.None)));
        Assert.True(crashed is SimulatedCrash, crashed?.Message);
        Assert.Equal(3, dovecot.CountOnServer(user));
        var rerun = await NewFetcher().FetchAsync(Account(user, FetchMode.Delete, TlsMode.None), CancellationToken.None);

        Assert.Equal(FetchOutcome.Success, rerun.Outcome);
        Assert.Equal(messages, MaildirContents.Read(_dir.Combine("Maildir")));
        Assert.Equal(0, dovecot.CountOnServer(user));
    }
}
