using System.Buffers;
using System.IO.Pipelines;
using Postino.Protocols.Text;

namespace Postino.Server.Pop2;

/// <summary>
/// Sends a stored message as POP2 RETR data: CRLF line ends, a final CRLF added when missing, no dot-stuffing, no
/// terminator, and exactly the announced number of octets, whatever the stored file turns out to hold. Streamed in
/// chunks with back-pressure, never loaded whole. A flush (a hop to the transport and back) goes out per
/// <see cref="ChunkSize"/> octets passed on, not per read: a store whose stream hands out a few octets per read must
/// not cost a flush each.
/// </summary>
public static class Pop2MessageSender
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>Sends the message; returns the length its wire form really had (equal to <paramref name="announced"/> when all is well).</summary>
    /// <param name="progress">Called after each flush has reached the peer (to reset an idle timer).</param>
    public static async ValueTask<long> SendAsync(
        PipeWriter output,
        Stream stored,
        long announced,
        Action progress,
        CancellationToken cancellationToken)
    {
        var encoder = new MessageEncoder(dotStuff: false);
        var exact = new ExactLengthBufferWriter(output, announced);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            int read;
            long flushedAt = 0;
            while ((read = await stored.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken)) > 0)
            {
                encoder.Encode(buffer.AsSpan(0, read), exact);
                if (exact.Passed - flushedAt >= ChunkSize)
                {
                    flushedAt = exact.Passed;
                    await output.FlushAsync(cancellationToken);
                    progress();
                }
            }

            encoder.Complete(exact);
            await output.FlushAsync(cancellationToken);
            return exact.Offered;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
