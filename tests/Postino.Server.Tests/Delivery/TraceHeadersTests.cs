using Postino.Server.Delivery;

namespace Postino.Server.Tests.Delivery;

public sealed class TraceHeadersTests
{
    [Fact]
    public void No_cr_lf_or_nul_from_a_helo_name_reaches_the_received_header()
    {
        var received = TraceHeaders.Received("evil\rX-Injected:\tyes\n\0", "192.0.2.1", "mx.example.org", "ESMTP", "a@b\r\nX: 1", DateTimeOffset.UnixEpoch);

        Assert.DoesNotContain('\0', received);
        Assert.Equal(received.Count(c => c == '\r'), received.Count(c => c == '\n'));
        Assert.DoesNotContain("\nX-Injected", received, StringComparison.Ordinal);
        Assert.DoesNotContain("\nX: 1", received, StringComparison.Ordinal);
        Assert.StartsWith("Received: from evil?X-Injected:\tyes??", received, StringComparison.Ordinal);
    }

    [Fact]
    public void No_line_break_from_a_sender_reaches_the_return_path()
    {
        Assert.Equal("Return-Path: <x@y??X-Evil: 1>\r\n", TraceHeaders.ReturnPath("<x@y\r\nX-Evil: 1>"));
    }

    [Theory]
    [InlineData("plain@example.org", false)]
    [InlineData("x@y\r\nX-Evil: 1", true)]
    [InlineData("nul\0", true)]
    [InlineData("del\x7f", true)]
    [InlineData("tab\t", true)]
    public void Control_characters_are_found(string value, bool expected) =>
        Assert.Equal(expected, HeaderText.HasControlCharacters(value));
}
