using System.Buffers;

namespace Postino.Fuzz.Targets;

/// <summary>
/// Turns one input into a multi-segment sequence: the first byte picks where it is split, so the parsers' handling
/// of a line or a terminator cut across segments is fuzzed as well.
/// </summary>
internal static class Chunks
{
    public static ReadOnlySequence<byte> Split(byte[] input)
    {
        if (input.Length < 2)
        {
            return new ReadOnlySequence<byte>(input);
        }

        var body = input.AsMemory(1);
        var cut = input[0] % (body.Length + 1);
        var first = new Segment(body[..cut]);
        var last = first.Append(body[cut..]);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>The input's pieces of at most <paramref name="size"/> octets, as a network would deliver them.</summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Pieces(ReadOnlyMemory<byte> input, int size)
    {
        for (var offset = 0; offset < input.Length; offset += size)
        {
            yield return input.Slice(offset, Math.Min(size, input.Length - offset));
        }
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
