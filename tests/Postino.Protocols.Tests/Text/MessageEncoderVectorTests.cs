using System.Buffers;
using System.Text;
using Postino.Protocols.Text;

namespace Postino.Protocols.Tests.Text;

/// <summary>
/// The one-pass copy of RETR (16 octets stored, then searched) against the line-by-line oracle, on inputs long enough
/// for the vector loop: line ends and dots at every offset of a block, at chunk boundaries and at output span ends,
/// and writers that hand out less space than asked.
/// </summary>
public class MessageEncoderVectorTests
{
    public static TheoryData<string> Shapes => new()
    {
        "empty",
        "lf lines",
        "crlf lines",
        "bare cr",
        "dot lines",
        "no final line end",
        "final lone cr",
        "huge line",
        "only line ends",
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Long_messages_match_the_line_by_line_encoder_at_every_chunk_size(string shape)
    {
        var message = Make(shape);
        foreach (var chunk in new[] { 1, 15, 16, 17, 4096, 128 * 1024 })
        {
            var sizes = Enumerable.Range(0, (message.Length + chunk - 1) / chunk)
                .Select(i => Math.Min(chunk, message.Length - (i * chunk))).ToArray();
            foreach (var dotStuff in new[] { true, false })
            {
                var expected = Reference(message, sizes, dotStuff);
                Assert.Equal(expected, Encode(message, sizes, dotStuff, new ArrayBufferWriter<byte>()));
                Assert.Equal(expected, Encode(message, sizes, dotStuff, new StingyWriter(7)));
            }
        }
    }

    [Fact]
    public void A_crlf_message_without_leading_dots_is_sent_as_stored()
    {
        var message = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("Line of text, CRLF already.\r\n", 20000)));
        Assert.Equal(message, Encode(message, [message.Length], dotStuff: true, new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void An_empty_message_sends_nothing()
    {
        Assert.Empty(Encode([], [], dotStuff: true, new ArrayBufferWriter<byte>()));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    public void Random_long_messages_at_random_splits_and_span_sizes_match(int seed)
    {
        var random = new Random(seed);
        var alphabet = "abcdefgh.\r\n"u8.ToArray();
        for (var round = 0; round < 60; round++)
        {
            var message = new byte[random.Next(0, 3000)];
            for (var i = 0; i < message.Length; i++)
            {
                // Mostly letters, so the blocks of 16 without a LF are common, with line ends and dots in between.
                message[i] = random.Next(4) == 0 ? alphabet[random.Next(alphabet.Length)] : alphabet[random.Next(8)];
            }

            var sizes = new List<int>();
            for (var left = message.Length; left > 0;)
            {
                var size = Math.Min(left, random.Next(1, 200));
                sizes.Add(size);
                left -= size;
            }

            var dotStuff = random.Next(2) == 0;
            var expected = Reference(message, [.. sizes], dotStuff);
            Assert.Equal(expected, Encode(message, [.. sizes], dotStuff, new StingyWriter(random.Next(1, 80))));
        }
    }

    private static byte[] Make(string shape)
    {
        string Repeat(string line, int count) => string.Concat(Enumerable.Repeat(line, count));
        var text = shape switch
        {
            "empty" => "",
            "lf lines" => "From: a@example.org\nSubject: x\n\n" + Repeat("The quick brown fox jumps over the lazy dog, again.\n", 3000),
            "crlf lines" => "From: a@example.org\r\n\r\n" + Repeat("0123456789abcdef0123456789abcde\r\n", 3000),
            "bare cr" => Repeat("carriage\rreturn inside a line of some length\r\r\n", 2000),
            "dot lines" => Repeat(".\n..leading dots\n.x\r\n" + new string('y', 29) + "\n.", 1500),
            "no final line end" => Repeat("line\n", 1000) + new string('z', 1000),
            "final lone cr" => Repeat("line\r\n", 1000) + new string('z', 33) + "\r",
            "huge line" => new string('h', 300_000) + "\n.tail",
            "only line ends" => Repeat("\n", 5000) + Repeat("\r\n", 5000) + Repeat("\r", 5000),
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };
        return Encoding.ASCII.GetBytes(text);
    }

    private static byte[] Encode(byte[] message, int[] sizes, bool dotStuff, IBufferWriter<byte> output)
    {
        var encoder = new MessageEncoder(dotStuff);
        var offset = 0;
        foreach (var size in sizes)
        {
            encoder.Encode(message.AsSpan(offset, size), output);
            offset += size;
        }

        encoder.Complete(output);
        return output switch
        {
            ArrayBufferWriter<byte> array => array.WrittenSpan.ToArray(),
            StingyWriter stingy => stingy.Written.ToArray(),
            _ => throw new InvalidOperationException(),
        };
    }

    private static byte[] Reference(byte[] message, int[] sizes, bool dotStuff)
    {
        var encoder = new ReferenceMessageEncoder(dotStuff);
        var output = new ArrayBufferWriter<byte>();
        var offset = 0;
        foreach (var size in sizes)
        {
            encoder.Encode(message.AsSpan(offset, size), output);
            offset += size;
        }

        encoder.Complete(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Hands out spans of a fixed small size whatever is asked (down to 1 octet): the copy must still progress.</summary>
    private sealed class StingyWriter(int size) : IBufferWriter<byte>
    {
        private readonly ArrayBufferWriter<byte> _inner = new();
        private byte[] _current = [];

        public ReadOnlySpan<byte> Written => _inner.WrittenSpan;

        public void Advance(int count) => _inner.Write(_current.AsSpan(0, count));

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            _current = new byte[size];
            return _current;
        }

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
