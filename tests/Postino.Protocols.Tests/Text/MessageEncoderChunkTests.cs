using System.Buffers;
using System.Text;
using Postino.Protocols.Text;

namespace Postino.Protocols.Tests.Text;

/// <summary>
/// The vectorised encoder against the line-by-line one it replaced: the same octets for every split of the input,
/// with the awkward places (a CR ending a chunk, a dot starting one, a LF starting one) placed on chunk boundaries.
/// </summary>
public class MessageEncoderChunkTests
{
    public static TheoryData<string, int> BoundaryCases => new()
    {
        { "a\r|\nb\n", 0 },
        { "a\r|b\n", 0 },
        { "a\n|.b\n", 0 },
        { "a\n|..\n", 0 },
        { "a|\n.b", 0 },
        { "a\r|\r\n", 0 },
        { "a\r|", 0 },
        { "a\n\r|", 0 },
        { ".|\n", 0 },
        { "|.x\r\n", 0 },
        { "H: 1\r|\n\r|\n.b1\n|.b2\r|\nb3", 1 },
        { "H: 1\n\r|\n\r\n.b1\n", 1 },
        { "H: 1\n\r\r|\nbody\n", 0 },
        { "H\n|\n|b1\n|b2\n", 1 },
    };

    [Theory]
    [MemberData(nameof(BoundaryCases))]
    public void A_chunk_boundary_changes_nothing(string splitAtBars, int bodyLines)
    {
        var chunks = splitAtBars.Split('|').Select(Encoding.UTF8.GetBytes).ToArray();
        var whole = chunks.SelectMany(c => c).ToArray();
        foreach (var dotStuff in new[] { true, false })
        {
            foreach (var limit in new long?[] { null, bodyLines })
            {
                var expected = Reference(whole, [whole.Length], dotStuff, limit);
                Assert.Equal(expected, Encode(chunks, dotStuff, limit));
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_messages_at_random_splits_match_the_line_by_line_encoder(int seed)
    {
        var random = new Random(seed);
        var alphabet = "ab.\r\n"u8.ToArray();
        for (var round = 0; round < 400; round++)
        {
            var message = new byte[random.Next(0, 200)];
            for (var i = 0; i < message.Length; i++)
            {
                message[i] = alphabet[random.Next(alphabet.Length)];
            }

            var sizes = RandomSplit(random, message.Length);
            var dotStuff = random.Next(2) == 0;
            long? limit = random.Next(3) == 0 ? random.Next(0, 5) : null;
            var chunks = Split(message, sizes);
            Assert.Equal(Reference(message, sizes, dotStuff, limit), Encode(chunks, dotStuff, limit));
            var counter = new WireSizeCounter();
            foreach (var chunk in chunks)
            {
                counter.Add(chunk);
            }

            Assert.Equal(Reference(message, sizes, dotStuff: false, null).Length, counter.Total);
        }
    }

    [Fact]
    public void A_large_crlf_message_keeps_its_wire_form_across_output_segments()
    {
        var line = "0123456789 the line is long enough to span many output segments\r\n"u8.ToArray();
        var message = Enumerable.Repeat(line, 5000).SelectMany(l => l).ToArray();
        var output = new SmallSegmentWriter();
        var encoder = new MessageEncoder(dotStuff: true);
        encoder.Encode(message, output);
        encoder.Complete(output);
        Assert.Equal(message, output.Written.ToArray());
        Assert.True(output.Segments > 1);
    }

    private static byte[] Encode(byte[][] chunks, bool dotStuff, long? limit)
    {
        var encoder = new MessageEncoder(dotStuff, limit);
        var output = new ArrayBufferWriter<byte>();
        foreach (var chunk in chunks)
        {
            encoder.Encode(chunk, output);
        }

        encoder.Complete(output);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Reference(byte[] message, int[] sizes, bool dotStuff, long? limit)
    {
        var encoder = new ReferenceMessageEncoder(dotStuff, limit);
        var output = new ArrayBufferWriter<byte>();
        foreach (var chunk in Split(message, sizes))
        {
            encoder.Encode(chunk, output);
        }

        encoder.Complete(output);
        return output.WrittenSpan.ToArray();
    }

    private static int[] RandomSplit(Random random, int length)
    {
        var sizes = new List<int>();
        while (length > 0)
        {
            var size = Math.Min(length, random.Next(1, 12));
            sizes.Add(size);
            length -= size;
        }

        return [.. sizes];
    }

    private static byte[][] Split(byte[] message, int[] sizes)
    {
        var chunks = new List<byte[]>();
        var offset = 0;
        foreach (var size in sizes)
        {
            chunks.Add(message.AsSpan(offset, size).ToArray());
            offset += size;
        }

        return [.. chunks];
    }

    /// <summary>Hands out spans of 100 octets whatever is asked, as a pipe near the end of a segment can.</summary>
    private sealed class SmallSegmentWriter : IBufferWriter<byte>
    {
        private readonly ArrayBufferWriter<byte> _inner = new();
        private byte[] _current = new byte[100];

        public ReadOnlyMemory<byte> Written => _inner.WrittenMemory;

        public int Segments { get; private set; }

        public void Advance(int count) => _inner.Write(_current.AsSpan(0, count));

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Segments++;
            _current = new byte[100];
            return _current;
        }

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
