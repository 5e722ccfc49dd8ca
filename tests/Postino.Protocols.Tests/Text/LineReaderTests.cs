using System.Buffers;
using System.Text;
using Postino.Protocols.Text;

namespace Postino.Protocols.Tests.Text;

public class LineReaderTests
{
    [Theory]
    [MemberData(nameof(ChunkFeeder.Sizes), MemberType = typeof(ChunkFeeder))]
    public void Splits_crlf_and_bare_lf_lines_at_any_chunk_size(int chunkSize)
    {
        var input = Encoding.ASCII.GetBytes("USER a\r\nPASS b c\nSTAT\r\n\r\n");
        var lines = ReadAll(input, chunkSize, maxLength: 255);
        Assert.Equal(["USER a", "PASS b c", "STAT", ""], lines);
    }

    [Theory]
    [MemberData(nameof(ChunkFeeder.Sizes), MemberType = typeof(ChunkFeeder))]
    public void Reports_an_over_long_line_once_and_stays_in_step(int chunkSize)
    {
        var input = Encoding.ASCII.GetBytes("NOOP\r\n" + new string('x', 600) + "\r\nSTAT\r\n");
        var lines = ReadAll(input, chunkSize, maxLength: 255);
        Assert.Equal(["NOOP", "<too long>", "STAT"], lines);
    }

    [Fact]
    public void A_line_of_exactly_the_limit_is_accepted_and_one_more_is_not()
    {
        var exact = new string('a', 253) + "\r\n";
        var over = new string('a', 254) + "\r\n";
        Assert.Equal([new string('a', 253)], ReadAll(Encoding.ASCII.GetBytes(exact), 512, 255));
        Assert.Equal(["<too long>"], ReadAll(Encoding.ASCII.GetBytes(over), 512, 255));
    }

    [Fact]
    public void A_partial_line_waits_for_more_bytes()
    {
        var reader = new LineReader(255);
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("STA"));
        Assert.Equal(LineReadStatus.NeedMoreData, reader.TryReadLine(ref buffer, out _));
        Assert.Equal(3, buffer.Length);
    }

    [Fact]
    public void Nul_and_non_utf8_bytes_pass_through_as_data()
    {
        var input = new byte[] { 0x00, 0xFF, 0xC3, (byte)'\r', (byte)'\n' };
        var reader = new LineReader(255);
        var buffer = new ReadOnlySequence<byte>(input);
        Assert.Equal(LineReadStatus.Line, reader.TryReadLine(ref buffer, out var line));
        Assert.Equal(new byte[] { 0x00, 0xFF, 0xC3 }, line.ToArray());
    }

    private static List<string> ReadAll(byte[] input, int chunkSize, int maxLength)
    {
        var reader = new LineReader(maxLength);
        var lines = new List<string>();
        var rest = ReadOnlySequence<byte>.Empty;
        foreach (var chunk in ChunkFeeder.Chunks(input, chunkSize))
        {
            var buffer = ChunkFeeder.Append(rest, chunk);
            while (true)
            {
                var status = reader.TryReadLine(ref buffer, out var line);
                if (status == LineReadStatus.NeedMoreData)
                {
                    break;
                }

                lines.Add(status == LineReadStatus.TooLong ? "<too long>" : Encoding.Latin1.GetString(line.ToArray()));
            }

            rest = buffer;
        }

        return lines;
    }
}
