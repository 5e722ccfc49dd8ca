using System.Buffers;
using System.Text;
using Postino.Protocols.Smtp;
using Postino.Protocols.Text;

namespace Postino.Protocols.Tests.Smtp;

public sealed class SmtpDataReaderTests
{
    public static IEnumerable<object[]> ChunkSizes => Chunks.Sizes;

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Unstuffs_a_dot_on_the_first_line(int chunkSize)
    {
        var (data, rest, exceeded) = Read("..hidden\r\nline\r\n.\r\nQUIT\r\n", chunkSize, 1000);

        Assert.Equal(".hidden\r\nline\r\n", data);
        Assert.Equal("QUIT\r\n", rest);
        Assert.False(exceeded);
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Empty_body(int chunkSize)
    {
        var (data, rest, _) = Read(".\r\nNOOP\r\n", chunkSize, 1000);

        Assert.Equal(string.Empty, data);
        Assert.Equal("NOOP\r\n", rest);
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Lf_dot_lf_does_not_end_the_data_and_is_reported(int chunkSize)
    {
        var (data, rest, _, bare) = ReadAll("body\n.\nMAIL FROM:<ceo@bank.test>\r\n.\r\nNOOP\r\n", chunkSize, 1000);

        Assert.Equal("body\n.\nMAIL FROM:<ceo@bank.test>\r\n", data);
        Assert.Equal("NOOP\r\n", rest);
        Assert.Equal(BareLineEnd.BareLf, bare);
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Crlf_dot_lf_and_lf_dot_crlf_do_not_end_the_data(int chunkSize)
    {
        var (data, rest, _, bare) = ReadAll("a\r\n.\nb\n.\r\nc\r\n.\r\nNOOP\r\n", chunkSize, 1000);

        Assert.Equal("a\r\n\nb\n.\r\nc\r\n", data);
        Assert.Equal("NOOP\r\n", rest);
        Assert.Equal(BareLineEnd.BareLf, bare);
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Bare_cr_is_data_and_reported(int chunkSize)
    {
        var (data, rest, _, bare) = ReadAll("a\r.\rb\r\r\n.\r\nNOOP\r\n", chunkSize, 1000);

        Assert.Equal("a\r.\rb\r\r\n", data);
        Assert.Equal("NOOP\r\n", rest);
        Assert.Equal(BareLineEnd.BareCr, bare);
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Clean_data_reports_no_bare_line_end(int chunkSize)
    {
        var (_, _, _, bare) = ReadAll("a\r\n..b\r\n\r\n.\r\n", chunkSize, 1000);

        Assert.Equal(BareLineEnd.None, bare);
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void A_dot_inside_a_line_is_data(int chunkSize)
    {
        var (data, _, _) = Read("a.\r\n.b\r\n. \r\n.\r\n", chunkSize, 1000);

        Assert.Equal("a.\r\nb\r\n \r\n", data);
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Over_the_limit_the_rest_is_read_and_dropped(int chunkSize)
    {
        var body = string.Concat(Enumerable.Repeat("0123456789012345678\r\n", 20));
        var (data, rest, exceeded) = Read(body + ".\r\nRSET\r\n", chunkSize, 100);

        Assert.True(exceeded);
        Assert.True(data.Length <= 100);
        Assert.Equal("RSET\r\n", rest);
    }

    [Fact]
    public void Exactly_at_the_limit_is_accepted()
    {
        var (data, _, exceeded) = Read("12345678\r\n.\r\n", 3, 10);

        Assert.False(exceeded);
        Assert.Equal("12345678\r\n", data);
    }

    private static (string Data, string Remainder, bool Exceeded) Read(string input, int chunkSize, long limit)
    {
        var (data, rest, exceeded, _) = ReadAll(input, chunkSize, limit);
        return (data, rest, exceeded);
    }

    private static (string Data, string Remainder, bool Exceeded, BareLineEnd Bare) ReadAll(string input, int chunkSize, long limit)
    {
        var reader = new SmtpDataReader(limit);
        var output = new ArrayBufferWriter<byte>();
        var done = false;
        var rest = Chunks.Feed(Encoding.UTF8.GetBytes(input), chunkSize, (ref ReadOnlySequence<byte> buffer) =>
        {
            done = reader.Read(ref buffer, output);
            return !done;
        });

        Assert.True(done);
        return (Encoding.UTF8.GetString(output.WrittenSpan), Encoding.UTF8.GetString(rest), reader.LimitExceeded, reader.BareLineEnd);
    }
}
