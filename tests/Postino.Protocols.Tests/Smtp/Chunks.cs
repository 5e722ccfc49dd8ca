using System.Buffers;

namespace Postino.Protocols.Tests.Smtp;

/// <summary>Feeds bytes to a resumable reader in chunks of a fixed size, as a socket would.</summary>
internal static class Chunks
{
    public static IEnumerable<object[]> Sizes => [[1], [2], [3], [7], [64], [512]];

    /// <summary>
    /// Calls <paramref name="consume"/> with the unconsumed bytes each time a chunk arrives; it slices off what it used
    /// and returns false to stop early.
    /// </summary>
    public static ReadOnlySequence<byte> Feed(byte[] input, int chunkSize, ConsumeStep consume)
    {
        var pending = Array.Empty<byte>();
        for (var offset = 0; offset < input.Length; offset += chunkSize)
        {
            var chunk = input.AsSpan(offset, Math.Min(chunkSize, input.Length - offset));
            pending = [.. pending, .. chunk];
            var buffer = new ReadOnlySequence<byte>(pending);
            var keepGoing = consume(ref buffer);
            pending = buffer.ToArray();
            if (!keepGoing)
            {
                pending = [.. pending, .. input.AsSpan(Math.Min(offset + chunkSize, input.Length))];
                return new ReadOnlySequence<byte>(pending);
            }
        }

        return new ReadOnlySequence<byte>(pending);
    }

    public delegate bool ConsumeStep(ref ReadOnlySequence<byte> buffer);
}
