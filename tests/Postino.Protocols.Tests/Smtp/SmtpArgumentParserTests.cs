using Postino.Protocols.Smtp;

namespace Postino.Protocols.Tests.Smtp;

public sealed class SmtpArgumentParserTests
{
    [Fact]
    public void Mail_from_with_all_parameters()
    {
        var error = SmtpArgumentParser.TryParseMailFrom("FROM:<alice@example.org> SIZE=1234 BODY=8BITMIME SMTPUTF8", out var mail);

        Assert.Equal(SmtpArgumentError.None, error);
        Assert.Equal(new SmtpAddress("alice", "example.org"), mail!.ReversePath);
        Assert.Equal(1234, mail.DeclaredSize);
        Assert.Equal(SmtpBodyType.EightBitMime, mail.Body);
        Assert.True(mail.SmtpUtf8);
        Assert.Equal("<alice@example.org>", mail.ReturnPath);
    }

    [Fact]
    public void Null_reverse_path_is_a_bounce()
    {
        Assert.Equal(SmtpArgumentError.None, SmtpArgumentParser.TryParseMailFrom("from:<>", out var mail));
        Assert.Null(mail!.ReversePath);
        Assert.Equal("<>", mail.ReturnPath);
    }

    [Theory]
    [InlineData("FROM:alice@example.org", SmtpArgumentError.Syntax)]
    [InlineData("TO:<alice@example.org>", SmtpArgumentError.Syntax)]
    [InlineData("FROM:<alice@example.org", SmtpArgumentError.Syntax)]
    [InlineData("FROM:<alice@example.org>SIZE=1", SmtpArgumentError.Syntax)]
    [InlineData("FROM:<alice>", SmtpArgumentError.BadAddress)]
    [InlineData("FROM:<a..b@example.org>", SmtpArgumentError.BadAddress)]
    [InlineData("FROM:<alice@>", SmtpArgumentError.BadAddress)]
    [InlineData("FROM:<a@b> SIZE=abc", SmtpArgumentError.BadParameterValue)]
    [InlineData("FROM:<a@b> SIZE=", SmtpArgumentError.BadParameterValue)]
    [InlineData("FROM:<a@b> BODY=BINARYMIME", SmtpArgumentError.BadParameterValue)]
    [InlineData("FROM:<a@b> SMTPUTF8=yes", SmtpArgumentError.BadParameterValue)]
    [InlineData("FROM:<a@b> AUTH=<>", SmtpArgumentError.UnknownParameter)]
    public void Bad_mail_from(string argument, SmtpArgumentError expected)
    {
        Assert.Equal(expected, SmtpArgumentParser.TryParseMailFrom(argument, out var mail));
        Assert.Null(mail);
    }

    [Theory]
    [InlineData("TO:<bob@example.org>", "bob", "example.org")]
    [InlineData("to: <bob@example.org>", "bob", "example.org")]
    [InlineData("TO:<@relay.example,@other.example:bob@example.org>", "bob", "example.org")]
    [InlineData("TO:<\"odd name\"@example.org>", "\"odd name\"", "example.org")]
    [InlineData("TO:<Postmaster>", "Postmaster", "")]
    [InlineData("TO:<b\u00f6b@\u00e9xample.org>", "b\u00f6b", "\u00e9xample.org")]
    [InlineData("TO:<bob@[127.0.0.1]>", "bob", "[127.0.0.1]")]
    public void Rcpt_to(string argument, string local, string domain)
    {
        Assert.Equal(SmtpArgumentError.None, SmtpArgumentParser.TryParseRcptTo(argument, out var recipient));
        Assert.Equal(new SmtpAddress(local, domain), recipient);
    }

    [Theory]
    [InlineData("TO:<>", SmtpArgumentError.BadAddress)]
    [InlineData("TO:bob@example.org", SmtpArgumentError.Syntax)]
    [InlineData("FROM:<bob@example.org>", SmtpArgumentError.Syntax)]
    [InlineData("TO:<bob@example.org> NOTIFY=NEVER", SmtpArgumentError.UnknownParameter)]
    [InlineData("TO:<bob example@example.org>", SmtpArgumentError.BadAddress)]
    public void Bad_rcpt_to(string argument, SmtpArgumentError expected)
    {
        Assert.Equal(expected, SmtpArgumentParser.TryParseRcptTo(argument, out _));
    }

    [Fact]
    public void International_address_is_flagged()
    {
        Assert.True(new SmtpAddress("b\u00f6b", "example.org").IsInternational);
        Assert.False(new SmtpAddress("bob", "example.org").IsInternational);
    }
}
