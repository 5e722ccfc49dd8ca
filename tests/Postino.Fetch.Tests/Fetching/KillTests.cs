using System.Diagnostics;
using System.Globalization;
using Postino.Fetch.Destinations;
using Postino.Fetch.Fetching;
using Postino.Fetch.Tests.Support;

namespace Postino.Fetch.Tests.Fetching;

/// <summary>
/// A real kill -9: a child process fetches, stops at a chosen point of the store-then-delete sequence, and is killed
/// with SIGKILL there; a fresh run must then end with every message exactly once and the server emptied.
/// </summary>
public sealed class KillTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(FetchPoint.PendingRecorded)]
    [InlineData(FetchPoint.Committed)]
    [InlineData(FetchPoint.StoredRecorded)]
    [InlineData(FetchPoint.BeforeQuit)]
    public async Task Killed_with_sigkill_at_a_point_then_rerun_loses_and_duplicates_nothing(FetchPoint point)
    {
        var mailbox = new FakeMailbox();
        for (var i = 1; i <= 3; i++)
        {
            mailbox.Add(Pop3FetcherTests.Message(i));
        }

        await using var server = new FakePop3Server(mailbox);
        var maildir = _dir.Combine("Maildir");
        var state = _dir.Combine("state.json");
        var stopAt = point == FetchPoint.BeforeQuit ? 1 : 2;

        var reached = await RunChildUntilKilledAsync(server.Port, server.User, server.Password, maildir, state, point, stopAt);
        Assert.Equal($"AT {point}", reached);
        Assert.Equal(3, mailbox.Count);

        var rerun = await new Fetcher(new FetchOptions { RetryDelays = [] }).FetchAsync(new FetchAccount
        {
            Name = "rerun",
            Host = "127.0.0.1",
            Port = server.Port,
            User = server.User,
            Password = _ => Task.FromResult(server.Password),
            Destination = new MaildirDestination(maildir),
            StatePath = state,
            Mode = FetchMode.Delete,
        }, CancellationToken.None);

        Assert.Equal(FetchOutcome.Success, rerun.Outcome);
        Assert.Equal(Enumerable.Range(1, 3).Select(Pop3FetcherTests.Message).Order(StringComparer.Ordinal), MaildirContents.Read(maildir));
        Assert.Equal(0, mailbox.Count);
    }

    private static async Task<string?> RunChildUntilKilledAsync(int port, string user, string password, string maildir, string state,
        FetchPoint point, int stopAt)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "exec", Path.Combine(AppContext.BaseDirectory, "Postino.Fetch.CrashHost.dll"),
            port.ToString(CultureInfo.InvariantCulture), user, password, maildir, state, nameof(FetchMode.Delete), point.ToString(),
            stopAt.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            var line = await child.StandardOutput.ReadLineAsync(timeout.Token);
            return line;
        }
        finally
        {
            // Process.Kill sends SIGKILL on Unix: no finally blocks, no flushes, no QUIT in the child.
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(CancellationToken.None);
        }
    }
}
