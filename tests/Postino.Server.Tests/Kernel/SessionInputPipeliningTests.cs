using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Postino.Server.Sessions;

namespace Postino.Server.Tests.Kernel;

/// <summary>
/// Limits:CommandTimeout and pipelining: the start of a line that came in the same batch as the line before it is
/// timed from the moment the session next waits for input, so the server's own work in between (a long RETR over a
/// slow link, a big mailbox to commit) is not counted against the client; a line that trickles is still cut.
/// </summary>
public sealed class SessionInputPipeliningTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_pipelined_partial_line_is_not_timed_while_the_server_answers_the_line_before()
    {
        var (input, pipe, time) = Start();
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("RETR 1\r\nQU"));
        var first = await input.ReadAsync(Idle, CancellationToken.None);
        ConsumeFirstLine(input, first!.Value);

        time.Advance(CommandTimeout * 3); // the server sends a large message, slowly
        var pending = input.ReadAsync(Idle, CancellationToken.None).AsTask();
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("IT\r\n"));
        var rest = await pending;

        Assert.NotNull(rest);
        Assert.Equal(SessionDeadline.None, input.Expired);
        Assert.Equal("QUIT\r\n", Encoding.ASCII.GetString(rest.Value.Buffer));
    }

    [Fact]
    public async Task A_pipelined_partial_line_that_never_ends_is_still_cut_at_the_command_timeout()
    {
        var (input, pipe, time) = Start();
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("RETR 1\r\nQU"));
        var first = await input.ReadAsync(Idle, CancellationToken.None);
        ConsumeFirstLine(input, first!.Value);

        time.Advance(CommandTimeout * 3);
        var pending = input.ReadAsync(Idle, CancellationToken.None).AsTask();
        time.Advance(CommandTimeout + TimeSpan.FromSeconds(1));

        Assert.Null(await pending);
        Assert.Equal(SessionDeadline.Command, input.Expired);
    }

    private static (SessionInput Input, Pipe Pipe, FakeTimeProvider Time) Start()
    {
        var time = new FakeTimeProvider();
        var pipe = new Pipe();
        var limits = new SessionLimits { CommandTimeout = CommandTimeout, LoginTimeout = TimeSpan.FromHours(1) };
        return (new SessionInput(pipe.Reader, time, limits, CancellationToken.None), pipe, time);
    }

    /// <summary>Consumes "RETR 1\r\n" as a session would, leaving the partial "QU" buffered.</summary>
    private static void ConsumeFirstLine(SessionInput input, ReadResult read)
    {
        var end = read.Buffer.PositionOf((byte)'\n')!.Value;
        input.AdvanceTo(read.Buffer, read.Buffer.GetPosition(1, end), read.Buffer.End);
    }
}
