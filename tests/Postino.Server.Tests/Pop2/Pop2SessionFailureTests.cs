using System.Net;
using System.Text;
using Postino.Server.Auth;
using Postino.Server.Pop2;
using Postino.Server.Tests.Pop2.Support;

namespace Postino.Server.Tests.Pop2;

/// <summary>Store and authenticator failures, and what the session tells the authenticator and the log.</summary>
public sealed class Pop2SessionFailureTests
{
    private readonly Pop2TestBed _bed = new();

    public Pop2SessionFailureTests()
    {
        _bed.Authenticator.AddUser("alice", "hunter2 with spaces");
        _bed.Store.AddMessage("alice", "INBOX", "Subject: one\n\nbody\n"u8.ToArray());
    }

    private async Task<(string[] Lines, Pop2SessionEnd End)> RunAsync(string input)
    {
        var (output, end) = await _bed.RunAsync(Encoding.ASCII.GetBytes(input), 3);
        var text = Encoding.UTF8.GetString(output);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        return (text[..^2].Split("\r\n"), end);
    }

    [Fact]
    public async Task A_failed_commit_at_quit_is_reported_with_a_minus()
    {
        _bed.Store.FailCommits = true;

        var (lines, end) = await RunAsync("HELO alice hunter2 with spaces\r\nREAD 1\r\nRETR\r\nACKD\r\nQUIT\r\n");

        Assert.Equal("- Could not apply all changes to the mailbox", lines[^1]);
        Assert.Equal(Pop2SessionEnd.CommitFailed, end);
        Assert.Single(_bed.Store.Messages("alice", "INBOX"));
        Assert.Equal(0, _bed.Store.LockCount);
    }

    [Fact]
    public async Task A_store_that_cannot_open_the_inbox_gives_a_minus_and_a_close()
    {
        _bed.Store.FailingFolders.Add("INBOX");

        var (lines, end) = await RunAsync("HELO alice hunter2 with spaces\r\n");

        Assert.Equal("- Mail store failure, try again later", lines[^1]);
        Assert.Equal(Pop2SessionEnd.StoreFailure, end);
        Assert.Contains(_bed.Logger.Lines, line => line.StartsWith("Warning:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(AuthenticationOutcome.TooSoon, "- Login refused: too soon after the last login")]
    [InlineData(AuthenticationOutcome.TemporaryFailure, "- Login temporarily unavailable, try again later")]
    [InlineData(AuthenticationOutcome.BadCredentials, "- Bad login")]
    public async Task Each_refused_login_gets_a_clear_minus(AuthenticationOutcome outcome, string reply)
    {
        _bed.Authenticator.ForcedOutcome = outcome;

        var (lines, end) = await RunAsync("HELO alice hunter2 with spaces\r\nQUIT\r\n");

        Assert.Equal(["+ POP2 test.example Postino server ready", reply], lines);
        Assert.Equal(Pop2SessionEnd.LoginRefused, end);
    }

    [Fact]
    public async Task The_authenticator_gets_the_user_the_whole_password_and_the_remote_address()
    {
        _bed.Remote = new IPEndPoint(IPAddress.Parse("::ffff:127.0.0.1"), 5555);

        var (lines, end) = await RunAsync("HELO alice hunter2 with spaces\r\nQUIT\r\n");

        Assert.Equal("#1 messages in INBOX", lines[1]);
        Assert.Equal(Pop2SessionEnd.Quit, end);
        var attempt = Assert.Single(_bed.Authenticator.Attempts);
        Assert.Equal(("alice", "hunter2 with spaces"), (attempt.User, attempt.Password));
        Assert.Equal(IPAddress.Parse("::ffff:127.0.0.1"), attempt.Remote);
    }

    [Fact]
    public async Task An_untrusted_plaintext_login_never_reaches_the_authenticator()
    {
        _bed.Remote = new IPEndPoint(IPAddress.Parse("198.51.100.1"), 5555);

        var (_, end) = await RunAsync("HELO alice hunter2 with spaces\r\n");

        Assert.Equal(Pop2SessionEnd.LoginRefused, end);
        Assert.Empty(_bed.Authenticator.Attempts);
    }

    [Fact]
    public async Task One_line_is_logged_per_session_with_user_remote_counts_and_end_but_never_the_password()
    {
        await RunAsync("HELO alice hunter2 with spaces\r\nREAD 1\r\nRETR\r\nACKD\r\nQUIT\r\n");
        await RunAsync("HELO alice hunter2 wrong\r\n");

        var ended = _bed.Logger.Lines.Where(line => line.Contains("POP2 session ended", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, ended.Count);
        Assert.Contains("user=alice", ended[0], StringComparison.Ordinal);
        Assert.Contains("remote=127.0.0.1:40000", ended[0], StringComparison.Ordinal);
        Assert.Contains("folders=INBOX", ended[0], StringComparison.Ordinal);
        Assert.Contains("retrieved=1 deletions-marked=1 end=Quit", ended[0], StringComparison.Ordinal);
        Assert.Contains("user=- ", ended[1], StringComparison.Ordinal);
        Assert.Contains("end=LoginRefused", ended[1], StringComparison.Ordinal);
        Assert.DoesNotContain(_bed.Logger.Lines, line => line.Contains("hunter2", StringComparison.Ordinal));
    }
}
