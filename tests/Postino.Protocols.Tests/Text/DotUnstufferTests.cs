using System.Buffers;
using System.Text;
using Postino.Protocols.Text;

namespace Postino.Protocols.Tests.Text;

public class DotUnstufferTests
{
    public static TheoryData<string, string> Forms => new()
    {
        { "a\r\nb\r\n.\r\n", "a\r\nb\r\n" },
        { "..x\r\n...\r\n.\r\n", ".x\r\n..\r\n" },
        { ".\r\n", "" },
        { "bare lf\n.\n", "bare lf\n" },
        { ".a\r\n.\r\n", "a\r\n" },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void Unstuffs_and_stops_at_the_terminator_at_every_chunk_size(string wire, string expected)
    {
        foreach (var size in ChunkFeeder.ChunkSizes)
        {
            var (data, rest) = Decode(wire + "+OK next", size);
            Assert.Equal(expected, data);
            Assert.Equal("+OK next", rest);
        }
    }

    public static TheoryData<string, string, BareLineEnd> StrictForms => new()
    {
        { "a\r\nb\r\n.\r\n", "a\r\nb\r\n", BareLineEnd.None },
        { "..x\r\n...\r\n.\r\n", ".x\r\n..\r\n", BareLineEnd.None },
        { ".\r\n", "", BareLineEnd.None },
        { "bare lf\n.\n\r\n.\r\n", "bare lf\n.\n\r\n", BareLineEnd.BareLf },
        { "x\r\n.\n\r\n.\r\n", "x\r\n\n\r\n", BareLineEnd.BareLf },
        { "cr\r.\r\r\n.\r\n", "cr\r.\r\r\n", BareLineEnd.BareCr },
        { ".\rx\r\n.\r\n", "\rx\r\n", BareLineEnd.BareCr },
    };

    [Theory]
    [MemberData(nameof(StrictForms))]
    public void Strict_form_ends_only_at_crlf_dot_crlf_at_every_chunk_size(string wire, string expected, BareLineEnd bare)
    {
        foreach (var size in ChunkFeeder.ChunkSizes)
        {
            var unstuffer = new DotUnstuffer(strict: true);
            var (data, rest) = Decode(unstuffer, wire + "+OK next", size);
            Assert.Equal(expected, data);
            Assert.Equal("+OK next", rest);
            Assert.Equal(bare, unstuffer.BareLineEnd);
        }
    }

    [Fact]
    public void Lenient_form_reports_no_bare_line_end()
    {
        var unstuffer = new DotUnstuffer();
        Decode(unstuffer, "a\nb\r\n.\n", 1);
        Assert.Equal(BareLineEnd.None, unstuffer.BareLineEnd);
        Assert.False(unstuffer.Strict);
    }

    [Fact]
    public void Round_trips_the_encoder_output()
    {
        const string stored = "H: x\r\n\r\n.\r\n..\r\n.a\r\nend\r\n";
        var encoder = new MessageEncoder(dotStuff: true);
        var wire = new ArrayBufferWriter<byte>();
        encoder.Encode(Encoding.ASCII.GetBytes(stored), wire);
        encoder.Complete(wire);
        wire.Write(MessageEncoder.Terminator);
        var (data, _) = Decode(Encoding.ASCII.GetString(wire.WrittenSpan), 1);
        Assert.Equal(stored, data);
        var strict = new DotUnstuffer(strict: true);
        var (strictData, _) = Decode(strict, Encoding.ASCII.GetString(wire.WrittenSpan), 1);
        Assert.Equal(stored, strictData);
        Assert.Equal(BareLineEnd.None, strict.BareLineEnd);
    }

    private static (string Data, string Remainder) Decode(string wire, int chunkSize) =>
        Decode(new DotUnstuffer(), wire, chunkSize);

    private static (string Data, string Remainder) Decode(DotUnstuffer unstuffer, string wire, int chunkSize)
    {
        var output = new ArrayBufferWriter<byte>();
        var rest = ReadOnlySequence<byte>.Empty;
        var done = false;
        var chunks = ChunkFeeder.Chunks(Encoding.ASCII.GetBytes(wire), chunkSize).ToList();
        var next = 0;
        while (!done && next < chunks.Count)
        {
            var buffer = ChunkFeeder.Append(rest, chunks[next++]);
            done = unstuffer.Decode(ref buffer, output);
            rest = buffer;
        }

        Assert.True(done);
        while (next < chunks.Count)
        {
            rest = ChunkFeeder.Append(rest, chunks[next++]);
        }

        Assert.Equal(output.WrittenCount, unstuffer.Written);
        return (Encoding.ASCII.GetString(output.WrittenSpan), Encoding.ASCII.GetString(rest.ToArray()));
    }
}
