using System.Buffers;

namespace Postino.Protocols.Tests.Text;

/// <summary>Splits input into a multi-segment sequence, as a socket would deliver it in chunks.</summary>
internal static class ChunkFeeder
{
    public static readonly int[] ChunkSizes = [1, 2, 3, 7, 64, 512];

    public static IEnumerable<object[]> Sizes() => ChunkSizes.Select(size => new object[] { size });

    public static IEnumerable<byte[]> Chunks(byte[] input, int size)
    {
        for (var offset = 0; offset < input.Length; offset += size)
        {
            yield return input.AsSpan(offset, Math.Min(size, input.Length - offset)).ToArray();
        }
    }

    /// <summary>Appends a chunk to the unconsumed rest of a buffer, like a pipe reader that keeps unread data.</summary>
    public static ReadOnlySequence<byte> Append(ReadOnlySequence<byte> rest, byte[] chunk)
    {
        var joined = new byte[rest.Length + chunk.Length];
        rest.CopyTo(joined);
        chunk.CopyTo(joined.AsSpan((int)rest.Length));
        return new ReadOnlySequence<byte>(joined);
    }
}
