using Postino.Protocols.Smtp;

namespace Postino.Protocols.Tests.Smtp;

public sealed class SmtpHelloNameTests
{
    [Theory]
    [InlineData("client.example.org")]
    [InlineData("localhost")]
    [InlineData("mail.example.org.")]
    [InlineData("DESKTOP_4F2")]
    [InlineData("xn--bcher-kva.example")]
    [InlineData("bücher.example")]
    [InlineData("[192.0.2.1]")]
    [InlineData("[IPv6:2001:db8::1]")]
    [InlineData("[IPv6:::1]")]
    [InlineData("[x-tag:opaque]")]
    public void Domains_and_address_literals_are_valid(string name) => Assert.True(SmtpHelloName.IsValid(name));

    [Theory]
    [InlineData("evil\rX-Injected:\tyes")]
    [InlineData("evil\nX-Injected: yes")]
    [InlineData("nul\0byte")]
    [InlineData("a..b")]
    [InlineData(".")]
    [InlineData("-lead.example")]
    [InlineData("trail-.example")]
    [InlineData("semi;colon")]
    [InlineData("has space")]
    [InlineData("a(comment)")]
    [InlineData("[192.0.2.256]")]
    [InlineData("[192.0.2]")]
    [InlineData("[IPv6:not-an-address]")]
    [InlineData("[IPv6:fe80::1%eth0]")]
    [InlineData("[1.2.3.4")]
    [InlineData("[]")]
    [InlineData("[tag:bad\\content]")]
    [InlineData("\u0085next-line")]
    public void Anything_else_is_refused(string name) => Assert.False(SmtpHelloName.IsValid(name));

    [Fact]
    public void An_over_long_label_is_refused() => Assert.False(SmtpHelloName.IsValid(new string('a', 64) + ".example"));
}
