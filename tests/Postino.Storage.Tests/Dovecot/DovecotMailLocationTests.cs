using Postino.Storage.Dovecot;

namespace Postino.Storage.Tests.Dovecot;

public sealed class DovecotMailLocationTests
{
    [Theory]
    [InlineData(null, "alice", null, "/srv/mail/alice/Maildir")]
    [InlineData("maildir:/var/mail/%u/Maildir", "alice", null, "/var/mail/alice/Maildir")]
    [InlineData("maildir:/var/vmail/%d/%n/Maildir", "bob@example.org", null, "/var/vmail/example.org/bob/Maildir")]
    [InlineData("maildir:/var/vmail/%{domain}/%{username}", "bob@example.org", null, "/var/vmail/example.org/bob")]
    [InlineData("maildir:/var/vmail/%Ld/%Ln", "Bob@Example.ORG", null, "/var/vmail/example.org/bob")]
    [InlineData("maildir:~/Maildir", "alice", "/home/alice", "/home/alice/Maildir")]
    [InlineData("maildir:~/Maildir", "alice", null, "/srv/mail/alice/Maildir")]
    [InlineData("maildir:%h/mail", "alice", "/home/alice", "/home/alice/mail")]
    [InlineData("maildir:%u:INDEX=/var/index/%u:LAYOUT=fs", "alice", null, "/srv/mail/alice")]
    [InlineData("maildir:/m/100%%/%u", "alice", null, "/m/100%/alice")]
    public void Expands_Dovecot_variables_like_Dovecot(string? location, string user, string? home, string expected)
    {
        Assert.Equal(expected, DovecotMailLocation.Parse("/srv/mail", location).MaildirOf(user, home));
    }

    [Fact]
    public void Control_moves_the_uidlist()
    {
        var location = DovecotMailLocation.Parse("/srv/mail", "maildir:/var/mail/%u:CONTROL=/var/control/%u");

        Assert.Equal("/var/control/alice", location.ControlOf("alice", null));
        Assert.Equal("/var/mail/alice", DovecotMailLocation.Parse("/srv/mail", "maildir:/var/mail/%u").ControlOf("alice", null));
    }

    [Theory]
    [InlineData("mbox:~/mail:INBOX=/var/mail/%u")]
    [InlineData("sdbox:~/dbox")]
    [InlineData("/var/mail/%u")]
    [InlineData("maildir:")]
    [InlineData("maildir:/var/mail/%z")]
    [InlineData("maildir:/var/mail/%{nope}")]
    [InlineData("maildir:/var/mail/%")]
    public void Refuses_what_it_cannot_import(string location)
    {
        Assert.Throws<FormatException>(() => DovecotMailLocation.Parse("/srv/mail", location));
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("a/b")]
    public void A_user_name_cannot_leave_the_root(string user)
    {
        Assert.Throws<StorageException>(() => DovecotMailLocation.Parse("/srv/mail", null).MaildirOf(user, null));
    }
}
