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
}
