using System.Buffers;
using System.Text;
using Postino.Protocols.Text;

namespace Postino.Protocols.Tests.Text;

public class MessageEncoderTests
{
    public static TheoryData<string, string> DotStuffedForms => new()
    {
        { "Subject: a\n\nbody\n", "Subject: a\r\n\r\nbody\r\n" },
        { "Subject: a\r\n\r\nbody\r\n", "Subject: a\r\n\r\nbody\r\n" },
        { "Subject: a\n\nno final newline", "Subject: a\r\n\r\nno final newline\r\n" },
        { "Subject: a\n\n.\n..two\n.", "Subject: a\r\n\r\n..\r\n...two\r\n..\r\n" },
        { ".starts with dot\n", "..starts with dot\r\n" },
        { "a\rb\n", "a\rb\r\n" },
        { "ends with cr\r", "ends with cr\r\n" },
        { "", "" },
    };

    [Theory]
    [MemberData(nameof(DotStuffedForms))]
    public void Encodes_with_crlf_dot_stuffing_and_final_crlf_at_every_chunk_size(string stored, string expected)
    {
        foreach (var size in ChunkFeeder.ChunkSizes)
        {
            Assert.Equal(expected, Encode(stored, size, dotStuff: true, bodyLines: null));
        }
    }

    [Theory]
    [InlineData(0L, "H: 1\r\nH: 2\r\n\r\n")]
    [InlineData(1L, "H: 1\r\nH: 2\r\n\r\n..line1\r\n")]
    [InlineData(2L, "H: 1\r\nH: 2\r\n\r\n..line1\r\nline2\r\n")]
    [InlineData(99999999L, "H: 1\r\nH: 2\r\n\r\n..line1\r\nline2\r\nline3\r\n")]
    public void Top_sends_the_header_the_blank_line_and_n_body_lines(long bodyLines, string expected)
    {
        const string stored = "H: 1\nH: 2\n\n.line1\nline2\nline3";
        foreach (var size in ChunkFeeder.ChunkSizes)
        {
            Assert.Equal(expected, Encode(stored, size, dotStuff: true, bodyLines));
        }
    }

    [Fact]
    public void Without_dot_stuffing_the_count_is_the_crlf_size()
    {
        Assert.Equal("H: 1\r\n\r\n.x\r\n", Encode("H: 1\n\n.x", 3, dotStuff: false, bodyLines: null));
    }

    [Theory]
    [InlineData("a\nb\n", 6)]
    [InlineData("a\r\nb\r\n", 6)]
    [InlineData("a\nb", 6)]
    [InlineData("", 0)]
    [InlineData("\u00e8\n", 4)]
    public async Task Measures_the_wire_size(string stored, long expected)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(stored));
        Assert.Equal(expected, await MessageEncoder.MeasureAsync(stream, CancellationToken.None));
    }

    private static string Encode(string stored, int chunkSize, bool dotStuff, long? bodyLines)
    {
        var encoder = new MessageEncoder(dotStuff, bodyLines);
        var output = new ArrayBufferWriter<byte>();
        foreach (var chunk in ChunkFeeder.Chunks(Encoding.UTF8.GetBytes(stored), chunkSize))
        {
            encoder.Encode(chunk, output);
        }

        encoder.Complete(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(3L)]
    public void A_chunk_asks_the_writer_for_no_more_space_than_its_wire_form_can_take(long? bodyLines)
    {
        // A pipe starts a new segment whenever it is asked for more room than its current one has left: a store that
        // reads an octet at a time must not cost a 64 KiB segment per octet.
        var stored = Encoding.ASCII.GetBytes("Subject: a\n\n.dot\nline\n" + new string('x', 300) + "\n.\n");
        var output = new HintRecordingWriter();
        var encoder = new MessageEncoder(dotStuff: true, bodyLines);
        foreach (var octet in stored)
        {
            encoder.Encode([octet], output);
        }

        encoder.Complete(output);

        Assert.All(output.Hints, hint => Assert.InRange(hint, 0, 64));
        Assert.Equal(Encode(Encoding.ASCII.GetString(stored), 4096, dotStuff: true, bodyLines), Encoding.ASCII.GetString(output.Written.WrittenSpan));

        var large = new HintRecordingWriter();
        new MessageEncoder(dotStuff: true, bodyLines).Encode(new byte[1 << 20], large);
        Assert.Equal(64 * 1024, large.Hints.Max());
    }

    private sealed class HintRecordingWriter : IBufferWriter<byte>
    {
        public ArrayBufferWriter<byte> Written { get; } = new();

        public List<int> Hints { get; } = [];

        public void Advance(int count) => Written.Advance(count);

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Hints.Add(sizeHint);
            return Written.GetMemory(sizeHint);
        }

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
