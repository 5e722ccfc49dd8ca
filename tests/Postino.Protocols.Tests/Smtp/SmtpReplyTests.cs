using Postino.Protocols.Smtp;

namespace Postino.Protocols.Tests.Smtp;

public sealed class SmtpReplyTests
{
    [Fact]
    public void Single_line_with_enhanced_status()
    {
        Assert.Equal("550 5.1.1 No such user\r\n", new SmtpReply(550, "5.1.1", "No such user").ToString());
    }

    [Fact]
    public void Multi_line_without_status()
    {
        var reply = new SmtpReply(250, null, ["mail.example", "PIPELINING", "SIZE 100"]);

        Assert.Equal("250-mail.example\r\n250-PIPELINING\r\n250 SIZE 100\r\n", reply.ToString());
        Assert.True(reply.IsPositive);
    }

    [Fact]
    public void Multi_line_with_status_on_every_line()
    {
        var reply = new SmtpReply(452, "4.2.2", ["Mailbox full", "try later"]);

        Assert.Equal("452-4.2.2 Mailbox full\r\n452 4.2.2 try later\r\n", reply.ToString());
        Assert.False(reply.IsPositive);
    }
}
