using System.Buffers;
using System.Text;
using Postino.Protocols.Pop2;

namespace Postino.Protocols.Tests.Pop2;

public sealed class Pop2ReplyWriterTests
{
    private static string Written(Action<IBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return Encoding.ASCII.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Each_form_puts_its_number_right_after_the_lead_character()
    {
        Assert.Equal("+ POP2 host ready\r\n", Written(o => Pop2ReplyWriter.Success(o, "POP2 host ready")));
        Assert.Equal("- Bad login\r\n", Written(o => Pop2ReplyWriter.Failure(o, "Bad login")));
        Assert.Equal("#4 messages\r\n", Written(o => Pop2ReplyWriter.Count(o, 4, "messages")));
        Assert.Equal("=177 octets\r\n", Written(o => Pop2ReplyWriter.Length(o, 177, "octets")));
        Assert.Equal("=0\r\n", Written(o => Pop2ReplyWriter.Length(o, 0, string.Empty)));
    }

    [Fact]
    public void Text_is_made_printable_ascii()
    {
        Assert.Equal("- a?b?c?\r\n", Written(o => Pop2ReplyWriter.Failure(o, "a\rb\nc\u00e9")));
    }

    [Fact]
    public void A_reply_never_exceeds_512_octets_with_its_crlf()
    {
        var line = Written(o => Pop2ReplyWriter.Failure(o, new string('x', 2000)));

        Assert.Equal(512, line.Length);
        Assert.EndsWith("x\r\n", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_count_reply_needs_a_number()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Pop2ReplyWriter.Format(Pop2ReplyKind.Count, null, "x"));
    }
}
