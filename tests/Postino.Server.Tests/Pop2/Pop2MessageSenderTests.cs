using System.Buffers;
using System.IO.Pipelines;
using Postino.Server.Pop2;
using Postino.Server.Tests.Pop3;

namespace Postino.Server.Tests.Pop2;

/// <summary>How RETR data goes out: whole, exact, and with a flush per 16 KiB rather than per read of the store.</summary>
public sealed class Pop2MessageSenderTests
{
    [Fact]
    public async Task A_store_that_hands_out_one_octet_per_read_does_not_cost_a_flush_per_octet()
    {
        var line = "a line of a message that trickles out of its store\r\n"u8.ToArray();
        var message = Enumerable.Repeat(line, 1000).SelectMany(l => l).ToArray();
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var output = new CountingPipeWriter(pipe.Writer);
        var progress = 0;

        var sent = await Pop2MessageSender.SendAsync(
            output, new TrickleStream(message, 1), message.Length, () => progress++, CancellationToken.None);

        Assert.Equal(message.Length, sent);
        Assert.True(pipe.Reader.TryRead(out var read));
        Assert.Equal(message, read.Buffer.ToArray());

        // 52,000 octets: three flushes at each 16 KiB passed on, and the last one.
        Assert.Equal(4, output.FlushCount);
        Assert.Equal(3, progress);
    }
}
