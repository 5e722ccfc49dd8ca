using Postino.Server.Delivery;

namespace Postino.Server.Tests.Delivery;

public sealed class MboxFromLineTests
{
    [Theory]
    [InlineData("From a@b.test Fri Nov 27 12:00:00 2026\r\nX: y\r\n", true, "a@b.test", 40)]
    [InlineData("From MAILER-DAEMON Fri Nov 27 12:00:00 2026\nX: y\n", true, "", 44)]
    [InlineData("From: a@b.test\r\n", false, null, 0)]
    [InlineData("From a@b.test no line end", false, null, 0)]
    public void Reads_the_envelope_line(string data, bool found, string? sender, int length)
    {
        Assert.Equal(found, MboxFromLine.TryRead(System.Text.Encoding.ASCII.GetBytes(data), out var lineLength, out var envelopeSender));
        Assert.Equal(sender, envelopeSender);
        Assert.Equal(length, lineLength);
    }
}
