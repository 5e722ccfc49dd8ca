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

    [Theory]
    [InlineData(0L, 0L, "0 0")]
    [InlineData(1L, 4096L, "1 4096")]
    [InlineData(2147483647L, 2147483647L, "2147483647 2147483647")]
    [InlineData(2147483647L, long.MaxValue, "2147483647 9223372036854775807")]
    public void Numbers_are_written_as_invariant_decimals(long first, long second, string expected)
    {
        Assert.Equal($"+OK {expected}\r\n", Write(o => Pop3ReplyWriter.WriteOkNumbers(o, first, second)));
        Assert.Equal($"{expected}\r\n", Write(o => Pop3ReplyWriter.WriteDataLine(o, first, second)));
    }

    [Fact]
    public void Number_and_text_lines_carry_the_longest_uidl()
    {
        var uidl = new string('~', 35) + new string('!', 35);

        Assert.Equal($"+OK 7 {uidl}\r\n", Write(o => Pop3ReplyWriter.WriteOkNumberAndText(o, 7, uidl)));
        Assert.Equal($"2147483647 {uidl}\r\n", Write(o => Pop3ReplyWriter.WriteDataLine(o, int.MaxValue, uidl)));
    }

    [Fact]
    public void A_span_text_is_sanitised_like_a_string_text()
    {
        Assert.Equal("+OK a  b ç\r\n", Write(o => Pop3ReplyWriter.WriteOkText(o, "a\r\nb\nç".AsSpan())));
        Assert.Equal(Write(o => Pop3ReplyWriter.WriteOk(o, "x\ry")), Write(o => Pop3ReplyWriter.WriteOkText(o, "x\ry".AsSpan())));
        Assert.Equal("+OK\r\n", Write(o => Pop3ReplyWriter.WriteOkText(o, ReadOnlySpan<char>.Empty)));
    }

    [Fact]
    public void Numbers_fit_a_writer_that_hands_out_exactly_what_is_asked()
    {
        var writer = new TightWriter();
        Pop3ReplyWriter.WriteOkNumbers(writer, long.MinValue, long.MaxValue);

        Assert.Equal("+OK -9223372036854775808 9223372036854775807\r\n", Encoding.ASCII.GetString(writer.Written.WrittenSpan));
    }

    private sealed class TightWriter : IBufferWriter<byte>
    {
        public ArrayBufferWriter<byte> Written { get; } = new();

        public void Advance(int count) => Written.Advance(count);

        public Memory<byte> GetMemory(int sizeHint = 0) => Written.GetMemory(sizeHint)[..Math.Max(sizeHint, 1)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }

    private static string Write(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
