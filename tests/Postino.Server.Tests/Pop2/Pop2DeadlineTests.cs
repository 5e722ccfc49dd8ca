using Postino.Server.Pop2;
using Postino.Server.Sessions;
using Postino.Server.Tests.Fakes;
using Postino.Server.Tests.Pop2.Support;

namespace Postino.Server.Tests.Pop2;

/// <summary>
/// The kernel's deadlines on POP2 (issue 10 section 2): Limits:LoginTimeout, Limits:CommandTimeout and the server's
/// graceful stop, on an injected clock that moves only once the session armed its timer.
/// </summary>
public sealed class Pop2DeadlineTests : IDisposable
{
    private readonly TimerWatchingTimeProvider _time;
    private readonly Pop2PipeSession _session;
    private readonly CancellationTokenSource _stopping = new();

    public Pop2DeadlineTests()
    {
        _time = new(DateTimeOffset.UnixEpoch);
        _session = new Pop2PipeSession(_time);
    }

    [Fact]
    public async Task Not_logged_in_by_the_login_timeout_the_session_is_closed()
    {
        var armed = _time.TimerStarted(TimeSpan.FromSeconds(30));
        var run = Start();
        Assert.StartsWith("+ POP2", await ReadLineAsync(), StringComparison.Ordinal);
        await armed;

        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal("- Autologout; not logged in in time", await ReadLineAsync());
        Assert.Equal(Pop2SessionEnd.Timeout, await run);
    }

    [Fact]
    public async Task A_command_trickling_in_after_login_is_cut_at_the_command_timeout()
    {
        var run = Start();
        await ReadLineAsync();
        await SendAsync("HELO alice pw\r\n");
        Assert.Equal("#1 messages in INBOX", await ReadLineAsync());

        foreach (var (octet, left) in new[] { ("R", 10), ("E", 7), ("A", 4), ("D", 1) })
        {
            var armed = _time.TimerStarted(TimeSpan.FromSeconds(left));
            await SendAsync(octet);
            await armed;
            _time.Advance(TimeSpan.FromSeconds(Math.Min(3, left)));
        }

        Assert.Equal("- Autologout; command line not completed in time", await ReadLineAsync());
        Assert.Equal(Pop2SessionEnd.Timeout, await run);
    }

    [Fact]
    public async Task A_graceful_stop_closes_a_logged_in_session_without_committing()
    {
        var run = Start();
        await _session.LogInAndAcknowledgeTheMessageAsync();

        await _stopping.CancelAsync();

        Assert.Equal("- Server shutting down, try again later", await ReadLineAsync());
        Assert.Equal(Pop2SessionEnd.Shutdown, await run);
        Assert.Single(_session.Bed.Store.Messages("alice", "INBOX"));
        Assert.Equal(0, _session.Bed.Store.LockCount);
    }

    public void Dispose() => _stopping.Dispose();

    private Task<Pop2SessionEnd> Start() => _session.Start(services => services with
    {
        Limits = new SessionLimits { CommandTimeout = TimeSpan.FromSeconds(10), LoginTimeout = TimeSpan.FromSeconds(30) },
        Stopping = _stopping.Token,
    });

    private Task SendAsync(string text) => _session.SendAsync(text);

    private Task<string> ReadLineAsync() => _session.ReadLineAsync();
}
