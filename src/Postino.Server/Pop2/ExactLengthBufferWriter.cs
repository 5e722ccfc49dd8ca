using System.Buffers;

namespace Postino.Server.Pop2;

/// <summary>
/// Passes at most <c>limit</c> octets on to the inner writer and counts everything offered, so a caller can send
/// exactly the announced POP2 length and still find out whether the message really had that length.
/// </summary>
public sealed class ExactLengthBufferWriter(IBufferWriter<byte> inner, long limit) : IBufferWriter<byte>
{
    private byte[] _overflow = [];
    private bool _lastSpanIsInner;

    /// <summary>Octets offered so far, including any beyond the limit.</summary>
    public long Offered { get; private set; }

    /// <summary>Octets passed to the inner writer.</summary>
    public long Passed { get; private set; }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Offered += count;
        if (_lastSpanIsInner)
        {
            var passed = (int)Math.Min(count, limit - Passed);
            inner.Advance(passed);
            Passed += passed;
        }
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        _lastSpanIsInner = Passed < limit;
        return _lastSpanIsInner ? inner.GetMemory(sizeHint) : Overflow(sizeHint);
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    private Memory<byte> Overflow(int sizeHint)
    {
        var size = Math.Max(sizeHint, 4096);
        if (_overflow.Length < size)
        {
            _overflow = new byte[size];
        }

        return _overflow;
    }
}
