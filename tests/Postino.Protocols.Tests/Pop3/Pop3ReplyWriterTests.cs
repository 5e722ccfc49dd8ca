using System.Buffers;
using System.Text;
using Postino.Protocols.Pop3;

namespace Postino.Protocols.Tests.Pop3;

public class Pop3ReplyWriterTests
{
    [Fact]
    public void Ok_with_and_without_text()
    {
        Assert.Equal("+OK\r\n", Write(o => Pop3ReplyWriter.WriteOk(o)));
        Assert.Equal("+OK 2 messages\r\n", Write(o => Pop3ReplyWriter.WriteOk(o, "2 messages")));
    }

    [Theory]
    [InlineData("IN-USE", "-ERR [IN-USE] locked\r\n")]
    [InlineData("AUTH", "-ERR [AUTH] bad\r\n")]
    [InlineData("SYS/TEMP", "-ERR [SYS/TEMP] bad\r\n")]
    [InlineData("SYS/PERM", "-ERR [SYS/PERM] bad\r\n")]
    [InlineData("LOGIN-DELAY", "-ERR [LOGIN-DELAY] bad\r\n")]
    public void Err_with_response_code(string code, string expected)
    {
        var text = expected.Contains("locked", StringComparison.Ordinal) ? "locked" : "bad";

        Assert.Equal(expected, Write(o => Pop3ReplyWriter.WriteErr(o, text, new Pop3ResponseCode(code))));
    }

    [Fact]
    public void Known_codes_have_their_rfc_spelling()
    {
        Assert.Equal(
            ["IN-USE", "AUTH", "SYS/TEMP", "SYS/PERM", "LOGIN-DELAY"],
            new[] { Pop3ResponseCode.InUse, Pop3ResponseCode.Auth, Pop3ResponseCode.SysTemp, Pop3ResponseCode.SysPerm, Pop3ResponseCode.LoginDelay }
                .Select(c => c.Value));
    }

    [Fact]
    public void Err_never_starts_with_plus()
    {
        Assert.StartsWith("-ERR ", Write(o => Pop3ReplyWriter.WriteErr(o, "no")), StringComparison.Ordinal);
    }

    [Fact]
    public void Multi_line_reply_is_dot_stuffed_and_terminated()
    {
        var text = Write(o => Pop3ReplyWriter.WriteMultiLine(o, "Capability list follows", ["TOP", ".hidden", ""]));

        Assert.Equal("+OK Capability list follows\r\nTOP\r\n..hidden\r\n\r\n.\r\n", text);
    }

    [Fact]
    public void A_line_break_inside_a_text_cannot_end_the_reply()
    {
        Assert.Equal("-ERR a  b\r\n", Write(o => Pop3ReplyWriter.WriteErr(o, "a\r\nb")));
    }

    private static string Write(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
