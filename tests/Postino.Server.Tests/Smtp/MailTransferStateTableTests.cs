using Postino.Protocols.Smtp;
using Postino.Server.Smtp;
using Postino.Server.Tests.Delivery;

namespace Postino.Server.Tests.Smtp;

public sealed class MailTransferStateTableTests
{
    public static TheoryData<SmtpVerb> AnyTimeVerbs =>
        [SmtpVerb.Helo, SmtpVerb.Ehlo, SmtpVerb.Lhlo, SmtpVerb.Rset, SmtpVerb.Noop, SmtpVerb.Vrfy, SmtpVerb.Help, SmtpVerb.Quit, SmtpVerb.StartTls];

    [Theory]
    [MemberData(nameof(AnyTimeVerbs))]
    public void Greeting_reset_and_informational_verbs_are_allowed_in_every_state(SmtpVerb verb)
    {
        foreach (var state in Enum.GetValues<MailTransferState>())
        {
            Assert.True(MailTransferStateTable.Allows(state, verb), $"{verb} in {state}");
        }
    }

    [Fact]
    public void Mail_opens_a_transaction_only_after_a_greeting_and_rcpt_and_data_need_one()
    {
        Assert.False(MailTransferStateTable.Allows(MailTransferState.Connected, SmtpVerb.Mail));
        Assert.True(MailTransferStateTable.Allows(MailTransferState.Greeted, SmtpVerb.Mail));
        Assert.False(MailTransferStateTable.Allows(MailTransferState.Transaction, SmtpVerb.Mail));
        foreach (var verb in new[] { SmtpVerb.Rcpt, SmtpVerb.Data })
        {
            Assert.False(MailTransferStateTable.Allows(MailTransferState.Connected, verb));
            Assert.False(MailTransferStateTable.Allows(MailTransferState.Greeted, verb));
            Assert.True(MailTransferStateTable.Allows(MailTransferState.Transaction, verb));
        }
    }

    [Fact]
    public void Only_data_rset_quit_and_starttls_take_no_argument()
    {
        var without = Enum.GetValues<SmtpVerb>().Where(MailTransferStateTable.TakesNoArgument).ToList();
        Assert.Equal([SmtpVerb.Data, SmtpVerb.Rset, SmtpVerb.Quit, SmtpVerb.StartTls], without);
    }

    [Theory]
    [InlineData(MailTransferDialect.Smtp, "EHLO c.test")]
    [InlineData(MailTransferDialect.Lmtp, "LHLO c.test")]
    public async Task Commands_out_of_sequence_get_503_5_5_1_and_a_stray_argument_501_first(MailTransferDialect dialect, string hello)
    {
        await using var harness = new SessionHarness(dialect);
        harness.Start();
        await harness.SendAsync(
            "MAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\nDATA now\r\n" + hello + "\r\n" +
            "RCPT TO:<alice@example.org>\r\nDATA\r\nMAIL FROM:<a@b.test>\r\nMAIL FROM:<c@d.test>\r\nQUIT\r\n");

        var refusals = (await harness.ReadToEndAsync()).Split("\r\n").Where(line => line.StartsWith('5')).ToList();

        Assert.Equal(
            [
                "503 5.5.1 Say hello first",
                "503 5.5.1 Need MAIL command",
                "503 5.5.1 Need MAIL command",
                "501 5.5.4 No arguments allowed",
                "503 5.5.1 Need MAIL command",
                "503 5.5.1 Need MAIL command",
                "503 5.5.1 Nested MAIL command",
            ],
            refusals);
    }

    [Theory]
    [InlineData(MailTransferDialect.Smtp)]
    [InlineData(MailTransferDialect.Lmtp)]
    public async Task Out_of_sequence_commands_count_towards_the_bad_command_limit(MailTransferDialect dialect)
    {
        await using var harness = new SessionHarness(dialect);
        harness.Options.MaxBadCommands = 2;
        harness.Start();
        await harness.SendAsync("RCPT TO:<alice@example.org>\r\nDATA\r\nNOOP\r\n");

        var transcript = await harness.ReadToEndAsync();

        Assert.EndsWith(
            "\r\n503 5.5.1 Need MAIL command\r\n421 4.7.0 Too many errors, closing connection\r\n",
            transcript,
            StringComparison.Ordinal);
    }
}
