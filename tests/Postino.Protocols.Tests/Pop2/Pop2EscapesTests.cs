using Postino.Protocols.Pop2;

namespace Postino.Protocols.Tests.Pop2;

public sealed class Pop2EscapesTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\\ b", "a b")]
    [InlineData("a\\\\b", "a\\b")]
    [InlineData("\\x", "x")]
    [InlineData("end\\", "end\\")]
    public void Unescape_undoes_backslash_escapes(string escaped, string plain)
    {
        Assert.Equal(plain, Pop2Escapes.Unescape(escaped));
    }

    [Theory]
    [InlineData("Sent Items")]
    [InlineData("back\\slash")]
    [InlineData("\\ both \\")]
    public void Escape_round_trips(string plain)
    {
        var escaped = Pop2Escapes.Escape(plain);

        Assert.Equal(-1, Pop2Escapes.IndexOfUnescapedSpace(escaped));
        Assert.Equal(plain, Pop2Escapes.Unescape(escaped));
    }
}
