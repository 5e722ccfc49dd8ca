using System.Text;
using Postino.Protocols.Sasl;

namespace Postino.Protocols.Tests.Sasl;

public class SaslBase64Tests
{
    [Theory]
    [InlineData("*")]
    [InlineData("*\r\n")]
    public void Star_cancels(string line) =>
        Assert.Equal(SaslResponseKind.Cancel, SaslBase64.ParseResponseLine(Encoding.ASCII.GetBytes(line)).Kind);

    [Theory]
    [InlineData("")]
    [InlineData("\r\n")]
    public void Empty_line_is_an_empty_response(string line)
    {
        var parsed = SaslBase64.ParseResponseLine(Encoding.ASCII.GetBytes(line));
        Assert.Equal(SaslResponseKind.Data, parsed.Kind);
        Assert.Empty(parsed.Data);
    }

    [Theory]
    [InlineData("dGlt", "tim")]
    [InlineData("dGk=", "ti")]
    [InlineData("dA==\r\n", "t")]
    [InlineData("AHRpbQB0YW5zdGFhZnRhbnN0YWFm", "\0tim\0tanstaaftanstaaf")]
    public void Strict_base64_decodes(string line, string expected)
    {
        var parsed = SaslBase64.ParseResponseLine(Encoding.ASCII.GetBytes(line));
        Assert.Equal(SaslResponseKind.Data, parsed.Kind);
        Assert.Equal(expected, Encoding.UTF8.GetString(parsed.Data));
    }

    [Theory]
    [InlineData("dGl")]
    [InlineData("dG l0")]
    [InlineData("dGl0 ")]
    [InlineData("dG\tl0")]
    [InlineData("d=l0")]
    [InlineData("dGl0====")]
    [InlineData("d===")]
    [InlineData("dGl-")]
    [InlineData("**")]
    [InlineData("=")]
    [InlineData("AUTH PLAIN")]
    public void Anything_else_is_malformed(string line) =>
        Assert.Equal(SaslResponseKind.Malformed, SaslBase64.ParseResponseLine(Encoding.ASCII.GetBytes(line)).Kind);

    [Fact]
    public void Non_ascii_bytes_are_malformed() =>
        Assert.Equal(SaslResponseKind.Malformed, SaslBase64.ParseResponseLine([0xC3, 0xA9, 0x41, 0x41]).Kind);

    [Fact]
    public void Equals_sign_is_an_empty_initial_response()
    {
        var parsed = SaslBase64.ParseInitialResponse("="u8);
        Assert.Equal(SaslResponseKind.Data, parsed.Kind);
        Assert.Empty(parsed.Data);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("")]
    [InlineData("==")]
    [InlineData("abc")]
    public void Bad_initial_responses_are_malformed(string argument) =>
        Assert.Equal(SaslResponseKind.Malformed, SaslBase64.ParseInitialResponse(Encoding.ASCII.GetBytes(argument)).Kind);

    [Fact]
    public void Encode_is_standard_base64() => Assert.Equal("UGFzc3dvcmQ6", SaslBase64.Encode("Password:"u8));
}
