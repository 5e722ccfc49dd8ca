using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Postino.Interop.Tests;

/// <summary>
/// Slowloris against a real <c>postino serve</c> over real sockets (issue 10 section 2): a client that sends a
/// command one octet per second, never finishing the line, is cut at Limits:CommandTimeout on every line listener,
/// long before the idle timeouts (minutes). The trickle is the attack itself; the test asserts on the close.
/// </summary>
public sealed class SlowlorisTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_command_trickling_one_octet_per_second_is_cut_on_every_listener()
    {
        await using var server = await PostinoProcess.StartAsync(new Dictionary<string, string>
        {
            ["POSTINO__Limits__CommandTimeout"] = "00:00:03",
        });

        var cuts = await Task.WhenAll(
            CutAsync(server.Port("pop3"), "+OK", "-ERR"),
            CutAsync(server.Port("pop2"), "+", "-"),
            CutAsync(server.Port("smtp"), "220", "421"),
            CutAsync(server.Port("lmtp"), "220", "421"));

        foreach (var elapsed in cuts)
        {
            Assert.InRange(elapsed, CommandTimeout - TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Trickles "NOOP..." one octet per second; returns how long until the server closed (any line it sent
    /// before must be its refusal).</summary>
    private static async Task<TimeSpan> CutAsync(int port, string greeting, string refusal)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var stream = tcp.GetStream();
        using var lines = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
        Assert.StartsWith(greeting, await lines.ReadLineAsync(), StringComparison.Ordinal);

        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var trickle = TrickleAsync(stream, stop.Token);
        try
        {
            // Without the deadline this would wait for the idle timeout (minutes): the WaitAsync bound fails the test.
            while (await lines.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line)
            {
                Assert.StartsWith(refusal, line, StringComparison.Ordinal);
            }
        }
        catch (IOException)
        {
            // The server closed with our unread octets in its buffer: a reset instead of a FIN is a close too.
        }

        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await trickle;
        return elapsed;
    }

    private static async Task TrickleAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var attack = "NOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOP"u8.ToArray();
        try
        {
            for (var i = 0; i < attack.Length; i++)
            {
                await stream.WriteAsync(attack.AsMemory(i, 1), cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The server cut us off, or the test is done.
        }
    }
}
