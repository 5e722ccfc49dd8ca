namespace Postino.Testing;

/// <summary>
/// A stream that hands out its octets at most a few per read, like a slow disk, a pipe or a peer whose replies arrive
/// in pieces (so parsing across reads is exercised); the end of the data is the end of the stream, or the peer
/// hanging up. Writes are refused, or swallowed when it plays a peer that ignores what it is sent (the fuzz harness's
/// "server" whose every reply is the fuzz input).
/// </summary>
public sealed class TrickleStream(byte[] data, int maxPerRead, bool swallowWrites = false) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => swallowWrites;

    public override long Length => data.Length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = Math.Min(Math.Min(buffer.Length, maxPerRead), data.Length - _position);
        data.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (!swallowWrites)
        {
            throw new NotSupportedException();
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
