using System.Buffers;
using Postino.Protocols.Pop3;
using Postino.Protocols.Text;
using Postino.Server.Sessions;
using Postino.Storage;

namespace Postino.Server.Pop3.Commands;

/// <summary>
/// Streams a message for RETR and TOP: opened before the +OK (so a storage failure can still answer -ERR), encoded
/// chunk by chunk (CRLF, dot-stuffed, final CRLF), flushed every <see cref="FlushThreshold"/> octets, then ".".
/// Large reads and flushes: each read and each flush is a system call and a hop between threads, so a 1 MB message
/// costs 8 reads and 4 flushes rather than 64 and 16.
/// </summary>
internal static class MessageSender
{
    private const int ChunkSize = 128 * 1024;
    private const int FlushThreshold = 256 * 1024;

    /// <summary>Returns the octets sent after the status line, or null when the message could not be opened (-ERR sent).</summary>
    /// <param name="status">The +OK text, written once the message is open.</param>
    /// <param name="statusNumber">Its argument, if any (RETR's size).</param>
    public static async ValueTask<long?> SendAsync(
        Pop3Session session,
        int index,
        long? bodyLines,
        Pop3TextKey status,
        long? statusNumber,
        CancellationToken cancellationToken)
    {
        var maildrop = session.Maildrop!;
        Stream stored;
        try
        {
            stored = await maildrop.OpenMessageAsync(index, cancellationToken);
        }
        catch (StorageException e)
        {
            Pop3Log.MessageReadFailed(session.Services.Logger, e, MessageNumber.ToMsn(index), session.User ?? "-");
            session.Error(Pop3Session.StorageCode(e), Pop3TextKey.MessageUnavailable, MessageNumber.ToMsn(index));
            return null;
        }

        await using (stored)
        {
            if (statusNumber is { } number)
            {
                session.Ok(status, number);
            }
            else
            {
                session.Ok(status);
            }

            var output = new CountingWriter(session.Output);
            var encoder = new MessageEncoder(dotStuff: true, bodyLines);
            var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
            try
            {
                int read;
                while (!encoder.IsComplete && (read = await ReadAsync(stored, chunk, cancellationToken)) > 0)
                {
                    encoder.Encode(chunk.AsSpan(0, read), output);
                    if (output.Unflushed >= FlushThreshold)
                    {
                        output.Unflushed = 0;
                        await session.FlushAsync(cancellationToken);
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            encoder.Complete(output);
            output.Write(MessageEncoder.Terminator);
            return output.Total;
        }
    }

    /// <summary>
    /// A failure of the stored stream is the server's, not a vanished client: keep the two apart. A message file is read
    /// on this thread: its asynchronous read would only run the same pread on another pool thread (a file opened
    /// without O_DIRECT has no asynchronous read on Linux), a hop per chunk for nothing. The Maildir's own message
    /// stream already reads in place when awaited; a FileStream (the portable fallback) is read synchronously here.
    /// Other stores' streams (a database) are awaited.
    /// </summary>
    private static async ValueTask<int> ReadAsync(Stream stored, byte[] chunk, CancellationToken cancellationToken)
    {
        try
        {
            return stored is FileStream file
                ? file.Read(chunk, 0, ChunkSize)
                : await stored.ReadAsync(chunk.AsMemory(0, ChunkSize), cancellationToken);
        }
        catch (IOException e)
        {
            throw new StorageException("the message stream broke while it was being sent", e);
        }
    }

    private sealed class CountingWriter(IBufferWriter<byte> inner) : IBufferWriter<byte>
    {
        public long Total { get; private set; }

        public long Unflushed { get; set; }

        public void Advance(int count)
        {
            inner.Advance(count);
            Total += count;
            Unflushed += count;
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
    }
}
