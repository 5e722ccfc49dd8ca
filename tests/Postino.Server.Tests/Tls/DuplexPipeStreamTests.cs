using System.Buffers;
using System.IO.Pipelines;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Tls;

/// <summary>What reaches the transport, and when: a write fills the pipe, a flush sends, a held flush waits.</summary>
public class DuplexPipeStreamTests
{
    private readonly Pipe _transport = new();

    private DuplexPipeStream Stream() => new(new Pipe().Reader, _transport.Writer);

    [Fact]
    public async Task A_write_is_sent_at_once()
    {
        var stream = Stream();
        await stream.WriteAsync("one"u8.ToArray());
        Assert.Equal("one", ReadSent());
        await stream.FlushAsync(); // nothing more to send
        Assert.False(_transport.Reader.TryRead(out _));
    }

    [Fact]
    public async Task The_first_write_after_the_handshake_finished_is_held_for_the_next_one()
    {
        var stream = Stream();
        var finished = false;
        stream.HoldHandshakeTail(() => finished);

        await stream.WriteAsync("flight"u8.ToArray()); // the handshake is not finished: the client waits for this flight
        await stream.FlushAsync();
        Assert.Equal("flight", ReadSent());

        finished = true;
        await stream.WriteAsync("ticket"u8.ToArray());
        await stream.FlushAsync(); // SslStream's flush after the ticket
        Assert.False(_transport.Reader.TryRead(out _));

        await stream.WriteAsync("greeting"u8.ToArray()); // held once only
        Assert.Equal("ticketgreeting", ReadSent());
    }

    [Fact]
    public async Task A_handshake_that_ended_without_a_tail_holds_nothing_afterwards()
    {
        // A resumed TLS 1.2 handshake ends with the client's Finished: the server writes nothing once it is done, and
        // the greeting that follows must go out (held, it would wait for a flush that never comes).
        var stream = Stream();
        var finished = false;
        stream.HoldHandshakeTail(() => finished);
        await stream.WriteAsync("flight"u8.ToArray());
        Assert.Equal("flight", ReadSent());

        finished = true;
        stream.EndHandshake();
        await stream.WriteAsync("greeting"u8.ToArray());
        Assert.Equal("greeting", ReadSent());
    }

    [Fact]
    public async Task Flushes_held_until_close_leave_in_one_send_on_release()
    {
        var stream = Stream();
        stream.HoldUntilClose();
        await stream.WriteAsync("+OK bye\r\n"u8.ToArray());
        await stream.FlushAsync();
        await stream.WriteAsync("alert"u8.ToArray());
        await stream.FlushAsync();
        Assert.False(_transport.Reader.TryRead(out _));

        await stream.ReleaseAsync();
        Assert.Equal("+OK bye\r\nalert", ReadSent());

        await stream.WriteAsync("after"u8.ToArray()); // released: writes are sent again
        Assert.Equal("after", ReadSent());
    }

    [Fact]
    public async Task Release_with_nothing_held_does_not_flush()
    {
        var stream = Stream();
        _transport.Writer.Write("x"u8); // someone else's bytes, not flushed by them
        await stream.ReleaseAsync();
        Assert.Equal(1, _transport.Writer.UnflushedBytes);
    }

    [Fact]
    public async Task A_write_to_a_completed_transport_faults_its_task()
    {
        var stream = Stream();
        await _transport.Writer.CompleteAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await stream.WriteAsync("x"u8.ToArray()));
    }

    /// <summary>Everything flushed so far, in one read (what one send of the transport would carry).</summary>
    private string ReadSent()
    {
        Assert.True(_transport.Reader.TryRead(out var result));
        var text = System.Text.Encoding.ASCII.GetString(result.Buffer.ToArray());
        _transport.Reader.AdvanceTo(result.Buffer.End);
        return text;
    }
}
