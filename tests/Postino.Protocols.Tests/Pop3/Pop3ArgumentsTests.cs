using Postino.Protocols.Pop3;

namespace Postino.Protocols.Tests.Pop3;

public class Pop3ArgumentsTests
{
    [Theory]
    [InlineData("1", Pop3ArgumentError.None, 1)]
    [InlineData("2147483647", Pop3ArgumentError.None, int.MaxValue)]
    [InlineData("007", Pop3ArgumentError.None, 7)]
    [InlineData("", Pop3ArgumentError.Missing, 0)]
    [InlineData("1 2", Pop3ArgumentError.TooMany, 0)]
    [InlineData("abc", Pop3ArgumentError.NotANumber, 0)]
    [InlineData("-1", Pop3ArgumentError.NotANumber, 0)]
    [InlineData("+1", Pop3ArgumentError.NotANumber, 0)]
    [InlineData("1a", Pop3ArgumentError.NotANumber, 0)]
    [InlineData("\u0661", Pop3ArgumentError.NotANumber, 0)]
    [InlineData("1\0", Pop3ArgumentError.NotANumber, 0)]
    [InlineData("0", Pop3ArgumentError.Zero, 0)]
    [InlineData("2147483648", Pop3ArgumentError.TooLarge, 0)]
    [InlineData("99999999999999999999", Pop3ArgumentError.TooLarge, 0)]
    [InlineData("4294967296", Pop3ArgumentError.TooLarge, 0)]
    [InlineData("  5  ", Pop3ArgumentError.None, 5)]
    [InlineData("   ", Pop3ArgumentError.Missing, 0)]
    [InlineData("1  ", Pop3ArgumentError.None, 1)]
    [InlineData("  1   2", Pop3ArgumentError.TooMany, 0)]
    [InlineData("1\t", Pop3ArgumentError.NotANumber, 0)]
    [InlineData("x 2", Pop3ArgumentError.TooMany, 0)]
    public void Message_numbers(string arguments, Pop3ArgumentError expected, int expectedMsn)
    {
        var error = Pop3Arguments.ParseMessageNumber(new Pop3Command("RETR", arguments), out var msn);

        Assert.Equal(expected, error);
        Assert.Equal(expectedMsn, msn);
        Assert.Equal(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length > 0, new Pop3Command("RETR", arguments).HasArguments);
    }

    [Theory]
    [InlineData("1 0", Pop3ArgumentError.None, 1, 0u)]
    [InlineData("3 99999999", Pop3ArgumentError.None, 3, 99999999u)]
    [InlineData("3 4294967295", Pop3ArgumentError.None, 3, uint.MaxValue)]
    [InlineData("3 4294967296", Pop3ArgumentError.TooLarge, 3, 0u)]
    [InlineData("3", Pop3ArgumentError.Missing, 0, 0u)]
    [InlineData("", Pop3ArgumentError.Missing, 0, 0u)]
    [InlineData("1 2 3", Pop3ArgumentError.TooMany, 0, 0u)]
    [InlineData("x 1", Pop3ArgumentError.NotANumber, 0, 0u)]
    [InlineData("1 x", Pop3ArgumentError.NotANumber, 1, 0u)]
    [InlineData("1 -1", Pop3ArgumentError.NotANumber, 1, 0u)]
    [InlineData("0 1", Pop3ArgumentError.Zero, 0, 0u)]
    public void Top_arguments(string arguments, Pop3ArgumentError expected, int expectedMsn, uint expectedLines)
    {
        var error = Pop3Arguments.ParseTop(new Pop3Command("TOP", arguments), out var msn, out var lines);

        Assert.Equal(expected, error);
        Assert.Equal(expectedMsn, msn);
        Assert.Equal(expectedLines, lines);
    }
}
