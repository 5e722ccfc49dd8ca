namespace Postino.Fetch.Durability;

/// <summary>
/// A write-only stream that turns the wire's CR LF line ends into the LF that local mail files use, passing
/// everything else through. A CR at the end of one write waits to see whether the next write starts with LF.
/// </summary>
public sealed class CrLfToLfStream(Stream inner) : Stream
{
    private bool _pendingCr;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var output = new byte[buffer.Length + 1];
        var length = Convert(buffer, output);
        inner.Write(output, 0, length);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var output = new byte[buffer.Length + 1];
        var length = Convert(buffer.Span, output);
        await inner.WriteAsync(output.AsMemory(0, length), cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Writes a CR still held back (the data ended in a lone CR).</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_pendingCr)
        {
            _pendingCr = false;
            await inner.WriteAsync(new byte[] { (byte)'\r' }, cancellationToken);
        }
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private int Convert(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var length = 0;
        foreach (var b in input)
        {
            if (_pendingCr)
            {
                _pendingCr = false;
                if (b != (byte)'\n')
                {
                    output[length++] = (byte)'\r';
                }
            }

            if (b == (byte)'\r')
            {
                _pendingCr = true;
                continue;
            }

            output[length++] = b;
        }

        return length;
    }
}
