using System.IO.Pipelines;
using Postino.Server.Pop2;
using Postino.Server.Tests.Fakes;
using Postino.Server.Tests.Pop2.Support;

namespace Postino.Server.Tests.Pop2;

/// <summary>QUIT releases every folder before its reply goes out: a client that has read it can log in again at once.</summary>
public sealed class Pop2QuitTests
{
    [Theory]
    [InlineData(false, "+ Postino POP2 server signing off", Pop2SessionEnd.Quit)]
    [InlineData(true, "- Could not apply all changes to the mailbox", Pop2SessionEnd.CommitFailed)]
    public async Task Quit_releases_the_folders_before_its_reply_reaches_the_client(bool failCommit, string reply, Pop2SessionEnd expected)
    {
        var scheduler = new HeldPipeScheduler();
        var session = new Pop2PipeSession(
            TimeProvider.System,
            new PipeOptions(writerScheduler: scheduler, pauseWriterThreshold: 1, resumeWriterThreshold: 1, useSynchronizationContext: false));
        session.Bed.Store.Mailbox("alice", "extra").Add("x1", "Subject: x\n\nx\n");
        session.Bed.Store.FailCommits = failCommit;
        var run = session.Start();
        await session.LogInAndAcknowledgeTheMessageAsync();
        await session.SendAsync("FOLD extra\r\n");
        Assert.Equal("#1 messages in extra", await session.ReadLineAsync());

        // The session's last flush stays pending (held) after the client has read the reply.
        scheduler.Hold();
        await session.SendAsync("QUIT\r\n");
        Assert.Equal(reply, await session.ReadLineAsync());

        Assert.Equal(0, session.Bed.Store.LockCount);
        scheduler.Release();
        Assert.Equal(expected, await run);
        Assert.Equal(1, session.Bed.Store.Mailbox("alice").DisposeCount);
        Assert.Equal(1, session.Bed.Store.Mailbox("alice", "extra").DisposeCount);
        Assert.Equal(failCommit ? 1 : 0, session.Bed.Store.Messages("alice", "INBOX").Count);
    }
}
