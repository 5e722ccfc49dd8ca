using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Postino.Server.Auth;
using Postino.Server.Pop2;
using Postino.Server.Security;
using Postino.Server.Tests.Auth;
using Postino.Server.Tests.Pop2.Support;
using Postino.Server.Tests.Security;
using Postino.Storage.Users;
using Postino.Storage.Users.Schemes;

namespace Postino.Server.Tests.Pop2;

/// <summary>
/// HELO against the real password authenticator: UTF-8 passwords with spaces, RFC 8265 preparation (the same as POP3
/// and SASL), and the shared login penalty.
/// </summary>
public sealed class Pop2PasswordAuthenticatorTests
{
    private readonly SignallingTimeProvider _authTime = new();
    private readonly Pop2TestBed _bed = new();
    private readonly Pipe _input = new();
    private readonly Pipe _output = new();

    public Pop2PasswordAuthenticatorTests()
    {
        var users = new MemoryUserDirectory(
            UserRecord.Create("alice", "{PLAIN}secret"),
            UserRecord.Create("josé", "{PLAIN}pässwörd with spaces ✓"));
        var policy = new LoginPolicy(
            new LoginPenalty(new LoginPenaltyOptions(), _authTime),
            new LoginDelayTracker(new LoginDelayOptions { DefaultDelay = TimeSpan.Zero }, _authTime));
        var authenticator = new PasswordAuthenticator(
            users,
            new PasswordVerifier(new PasswordSchemeRegistry([new CountingScheme(), new PlainScheme()]), 2),
            policy,
            NullLogger<PasswordAuthenticator>.Instance);
        _bed.MailStore = _bed.Store;
        Services = _bed.Services with { Authenticator = authenticator };
    }

    private Pop2Services Services { get; }

    [Fact]
    public async Task A_utf8_password_with_spaces_logs_in()
    {
        var run = Start();
        await SendAsync("HELO josé pässwörd with spaces ✓\r\nQUIT\r\n");

        Assert.Equal(Pop2SessionEnd.Quit, await run);
        Assert.Equal(
            "+ POP2 test.example Postino server ready\r\n#0 messages in INBOX\r\n+ Postino POP2 server signing off\r\n",
            await DrainAsync());
    }

    [Fact]
    public async Task A_user_name_and_password_in_another_normalisation_form_log_in()
    {
        // RFC 8265: "jose" + U+0301 (decomposed) is the stored "josé"; the password's umlauts are decomposed too.
        var run = Start();
        await SendAsync("HELO jose\u0301 pa\u0308sswo\u0308rd with spaces \u2713\r\nQUIT\r\n");

        // Unprepared, the login would fail and wait for the penalty's timer instead of ending.
        Assert.Same(run, await Task.WhenAny(run, _authTime.TimerCreated));
        Assert.Equal(Pop2SessionEnd.Quit, await run);
        Assert.Equal(
            "+ POP2 test.example Postino server ready\r\n#0 messages in INBOX\r\n+ Postino POP2 server signing off\r\n",
            await DrainAsync());
    }

    [Fact]
    public async Task A_bad_password_is_answered_only_after_the_login_penalty_and_then_closed()
    {
        var run = Start();
        await SendAsync("HELO alice wrong\r\n");

        await _authTime.TimerCreated;
        Assert.False(run.IsCompleted);
        _authTime.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(Pop2SessionEnd.LoginRefused, await run);
        Assert.Equal("+ POP2 test.example Postino server ready\r\n- Bad login\r\n", await DrainAsync());
    }

    private Task<Pop2SessionEnd> Start() =>
        new Pop2Session(new DuplexPipe(_input.Reader, _output.Writer), _bed.Remote, Services).RunAsync(CancellationToken.None);

    private async Task SendAsync(string text) => await _input.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));

    private async Task<string> DrainAsync()
    {
        await _output.Writer.CompleteAsync();
        return Encoding.UTF8.GetString(await Pop2TestBed.CollectAsync(_output.Reader));
    }
}
