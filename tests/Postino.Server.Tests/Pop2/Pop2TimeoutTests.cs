using System.IO.Pipelines;
using Microsoft.Extensions.Time.Testing;
using Postino.Server.Pop2;
using Postino.Server.Tests.Pop2.Support;

namespace Postino.Server.Tests.Pop2;

/// <summary>Idle timeouts before and after HELO, on an injected clock.</summary>
public sealed class Pop2TimeoutTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly Pop2PipeSession _session;

    public Pop2TimeoutTests()
    {
        _session = new Pop2PipeSession(_time);
    }

    [Fact]
    public async Task Before_login_the_session_ends_after_the_login_timeout()
    {
        var run = Start();
        Assert.StartsWith("+ POP2", await ReadLineAsync());

        _time.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal("- Autologout; idle for too long", await ReadLineAsync());
        Assert.Equal(Pop2SessionEnd.Timeout, await run);
    }

    [Fact]
    public async Task After_login_the_longer_timeout_applies_and_nothing_is_committed()
    {
        var run = Start();
        await _session.LogInAndAcknowledgeTheMessageAsync();

        _time.Advance(TimeSpan.FromMinutes(29));
        await SendAsync("READ 1\r\n");
        Assert.Equal("=0 message 1 is deleted", await ReadLineAsync());
        _time.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal("- Autologout; idle for too long", await ReadLineAsync());
        Assert.Equal(Pop2SessionEnd.Timeout, await run);
        Assert.Single(_session.Bed.Store.Messages("alice", "INBOX"));
        Assert.Equal(0, _session.Bed.Store.LockCount);
    }

    [Fact]
    public async Task A_command_dribbled_slower_than_the_timeout_does_not_keep_the_session()
    {
        var run = Start();
        await ReadLineAsync();
        await SendAsync("HE");
        _time.Advance(TimeSpan.FromMinutes(2));
        await SendAsync("LO");
        _time.Advance(TimeSpan.FromMinutes(1));

        // Cut by the whole-line idle timer or by Limits:CommandTimeout, whichever the session armed first.
        Assert.StartsWith("- Autologout; ", await ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal(Pop2SessionEnd.Timeout, await run);
    }

    [Fact]
    public async Task A_client_that_stops_reading_during_retr_is_dropped_after_the_idle_timeout()
    {
        var session = new Pop2PipeSession(_time, new PipeOptions(pauseWriterThreshold: 1, resumeWriterThreshold: 1));
        var run = session.Start();
        await session.SendAsync("HELO alice pw\r\nREAD 1\r\nRETR\r\n");
        var replies = new[] { "+ POP2", "#1 ", "=20 " };
        foreach (var reply in replies)
        {
            var line = await session.ReadLineAsync();
            Assert.StartsWith(reply, line, StringComparison.Ordinal);
        }

        // The message data is now waiting in the pipe. Look at it without examining it: a pipe's back-pressure counts
        // examined octets, so AdvanceTo(start, end) would resume the server's flush, the RETR would finish, and the
        // advance below would race the next command wait instead of cutting the stalled transfer.
        var pending = await session.Output.Reader.ReadAsync();
        Assert.False(pending.Buffer.IsEmpty);
        session.Output.Reader.AdvanceTo(pending.Buffer.Start);
        _time.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(Pop2SessionEnd.Timeout, await run);
        Assert.Equal(0, session.Bed.Store.LockCount);

        // Nothing follows the stalled message: no reply is written to a client that does not read.
        Assert.True(session.Output.Reader.TryRead(out var left));
        Assert.Equal(20, left.Buffer.Length);
    }

    private Task<Pop2SessionEnd> Start() => _session.Start();

    private Task SendAsync(string text) => _session.SendAsync(text);

    private Task<string> ReadLineAsync() => _session.ReadLineAsync();
}
