using System.Text;
using Postino.Protocols.Pop2;

namespace Postino.Protocols.Tests.Pop2;

public sealed class Pop2CommandParserTests
{
    private static Pop2ParseResult Parse(string line) => Pop2CommandParser.Parse(Encoding.UTF8.GetBytes(line));

    [Theory]
    [InlineData("RETR", Pop2Verb.Retr)]
    [InlineData("retr", Pop2Verb.Retr)]
    [InlineData("Acks", Pop2Verb.Acks)]
    [InlineData("ACKD", Pop2Verb.Ackd)]
    [InlineData("nack", Pop2Verb.Nack)]
    [InlineData("QUIT", Pop2Verb.Quit)]
    [InlineData("QUIT ", Pop2Verb.Quit)]
    public void Bare_commands_are_case_insensitive(string line, Pop2Verb verb)
    {
        var result = Parse(line);

        Assert.True(result.IsCommand);
        Assert.Equal(verb, result.Command.Verb);
    }

    [Theory]
    [InlineData("RETR 1")]
    [InlineData("ACKS x")]
    [InlineData("ACKD 2")]
    [InlineData("NACK now")]
    [InlineData("QUIT now")]
    public void Arguments_where_none_are_allowed_are_an_error(string line)
    {
        Assert.Equal(Pop2CommandError.UnexpectedArgument, Parse(line).Error);
    }

    [Theory]
    [InlineData("HELO alice secret", "alice", "secret")]
    [InlineData("helo alice two words  here", "alice", "two words  here")]
    [InlineData("HELO al\\ ice pa\\\\ss", "al ice", "pa\\ss")]
    [InlineData("HELO alice pass\\ word", "alice", "pass word")]
    [InlineData("HELO alice trailing ", "alice", "trailing ")]
    [InlineData("HELO alice ends\\", "alice", "ends\\")]
    [InlineData("HELO jörg pässwörd", "jörg", "pässwörd")]
    public void Helo_takes_a_user_word_and_the_rest_of_the_line_as_password(string line, string user, string password)
    {
        var result = Parse(line);

        Assert.True(result.IsCommand);
        Assert.Equal(Pop2Verb.Helo, result.Command.Verb);
        Assert.Equal(user, result.Command.User);
        Assert.Equal(password, result.Command.Password);
    }

    [Theory]
    [InlineData("HELO")]
    [InlineData("HELO ")]
    [InlineData("HELO alice")]
    [InlineData("HELO alice ")]
    [InlineData("HELO  secret")]
    public void Helo_without_user_or_password_is_an_error(string line)
    {
        Assert.Equal(Pop2CommandError.MissingArgument, Parse(line).Error);
    }

    [Fact]
    public void Helo_never_shows_the_password_in_its_text()
    {
        var result = Parse("HELO alice hunter2");

        Assert.DoesNotContain("hunter2", result.Command!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FOLD INBOX", "INBOX")]
    [InlineData("fold Sent Items", "Sent Items")]
    [InlineData("FOLD Sent\\ Items", "Sent Items")]
    [InlineData("FOLD a\\\\b", "a\\b")]
    public void Fold_takes_a_mailbox_string(string line, string mailbox)
    {
        var result = Parse(line);

        Assert.True(result.IsCommand);
        Assert.Equal(Pop2Verb.Fold, result.Command.Verb);
        Assert.Equal(mailbox, result.Command.Mailbox);
    }

    [Theory]
    [InlineData("FOLD")]
    [InlineData("FOLD ")]
    public void Fold_without_a_name_is_an_error(string line)
    {
        Assert.Equal(Pop2CommandError.MissingArgument, Parse(line).Error);
    }

    [Theory]
    [InlineData("READ", null)]
    [InlineData("READ ", null)]
    [InlineData("read 4", 4)]
    [InlineData("READ 0", 0)]
    [InlineData("READ 007", 7)]
    [InlineData("READ 99999999999999999999", int.MaxValue)]
    public void Read_takes_an_optional_number(string line, int? msn)
    {
        var result = Parse(line);

        Assert.True(result.IsCommand);
        Assert.Equal(Pop2Verb.Read, result.Command.Verb);
        Assert.Equal(msn, result.Command.Msn);
    }

    [Theory]
    [InlineData("READ -1")]
    [InlineData("READ x")]
    [InlineData("READ 1 2")]
    [InlineData("READ +3")]
    public void Read_with_a_bad_number_is_an_error(string line)
    {
        Assert.Equal(Pop2CommandError.InvalidNumber, Parse(line).Error);
    }

    [Theory]
    [InlineData("NOOP")]
    [InlineData("USER alice")]
    [InlineData(" QUIT")]
    [InlineData("QUITX")]
    public void Unknown_keywords_are_an_error(string line)
    {
        Assert.Equal(Pop2CommandError.UnknownCommand, Parse(line).Error);
    }

    [Fact]
    public void An_empty_line_is_an_error()
    {
        Assert.Equal(Pop2CommandError.EmptyLine, Parse(string.Empty).Error);
    }

    [Fact]
    public void Invalid_utf8_does_not_throw()
    {
        var result = Pop2CommandParser.Parse(new byte[] { (byte)'H', (byte)'E', (byte)'L', (byte)'O', 0x20, 0xFF, 0x20, 0xC3 });

        Assert.True(result.IsCommand);
        Assert.Equal("\uFFFD", result.Command.User);
    }
}
