using System.Buffers;
using System.IO.Pipelines;
using System.Text;
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
    private readonly TimerWatchingTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private readonly Pop2TestBed _bed = new();
    private readonly Pipe _input = new();
    private readonly Pipe _output = new();
    private readonly CancellationTokenSource _stopping = new();

    public Pop2DeadlineTests()
    {
        _bed.Time = _time;
        _bed.Authenticator.AddUser("alice", "pw");
        _bed.Store.AddMessage("alice", "INBOX", "Subject: x\n\nbody\n"u8.ToArray());
        _bed.Options.LoginIdleTimeout = TimeSpan.FromMinutes(3);
        _bed.Options.SessionIdleTimeout = TimeSpan.FromMinutes(30);
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
        await ReadLineAsync();
        await SendAsync("HELO alice pw\r\nREAD 1\r\nRETR\r\nACKD\r\n");
        Assert.Equal("#1 messages in INBOX", await ReadLineAsync());
        Assert.Equal("=20 octets in message 1", await ReadLineAsync());
        await ReadLineAsync();
        await ReadLineAsync();
        await ReadLineAsync();
        Assert.Equal("=0 no message 2", await ReadLineAsync());

        await _stopping.CancelAsync();

        Assert.Equal("- Server shutting down, try again later", await ReadLineAsync());
        Assert.Equal(Pop2SessionEnd.Shutdown, await run);
        Assert.Single(_bed.Store.Messages("alice", "INBOX"));
        Assert.Equal(0, _bed.Store.LockCount);
    }

    public void Dispose() => _stopping.Dispose();

    private Task<Pop2SessionEnd> Start()
    {
        var services = _bed.Services with
        {
            Limits = new SessionLimits { CommandTimeout = TimeSpan.FromSeconds(10), LoginTimeout = TimeSpan.FromSeconds(30) },
            Stopping = _stopping.Token,
        };
        var session = new Pop2Session(new DuplexPipe(_input.Reader, _output.Writer), _bed.Remote, services);
        return session.RunAsync(CancellationToken.None);
    }

    private async Task SendAsync(string text) => await _input.Writer.WriteAsync(Encoding.ASCII.GetBytes(text));

    private async Task<string> ReadLineAsync()
    {
        while (true)
        {
            var read = await _output.Reader.ReadAsync();
            var buffer = read.Buffer;
            if (buffer.PositionOf((byte)'\n') is { } lf)
            {
                var line = Encoding.ASCII.GetString(buffer.Slice(0, lf).ToArray()).TrimEnd('\r');
                _output.Reader.AdvanceTo(buffer.GetPosition(1, lf));
                return line;
            }

            _output.Reader.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted)
            {
                return string.Empty;
            }
        }
    }
}
