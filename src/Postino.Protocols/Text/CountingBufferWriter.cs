using System.Buffers;

namespace Postino.Protocols.Text;

/// <summary>An <see cref="IBufferWriter{T}"/> that only counts what is written (to measure wire sizes).</summary>
public sealed class CountingBufferWriter : IBufferWriter<byte>
{
    private byte[] _scratch = new byte[4096];

    public long Count { get; private set; }

    public void Advance(int count) => Count += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureSize(sizeHint);
        return _scratch;
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureSize(sizeHint);
        return _scratch;
    }

    private void EnsureSize(int sizeHint)
    {
        if (sizeHint > _scratch.Length)
        {
            _scratch = new byte[sizeHint];
        }
    }
}
