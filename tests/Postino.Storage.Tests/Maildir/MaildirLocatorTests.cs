using Postino.Storage.Maildir;

namespace Postino.Storage.Tests.Maildir;

public sealed class MaildirLocatorTests
{
    private static readonly MaildirStoreOptions Options = new() { DataDirectory = "/srv/postino" };

    [Theory]
    [InlineData(null, null, "/srv/postino/mail/bob/Maildir")]
    [InlineData(null, "", "/srv/postino/mail/bob/Maildir")]
    [InlineData(null, "/home/bob", "/home/bob/Maildir")]
    [InlineData("%h/Maildir", "/home/bob", "/home/bob/Maildir")]
    [InlineData("/var/mail/%u", "/home/bob", "/var/mail/bob")]
    [InlineData("vmail/%d/%n", null, "/srv/postino/vmail/example.org/bob")]
    [InlineData("/m/%u/100%%", null, "/m/bob@example.org/100%")]
    public void Resolves_default_home_and_template_locations(string? template, string? home, string expected)
    {
        var user = template is "vmail/%d/%n" or "/m/%u/100%%" ? "bob@example.org" : "bob";
        var locator = new MaildirLocator(Options with { LocationTemplate = template });

        Assert.Equal(expected, locator.Resolve(user, home));
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("bad\nname")]
    [InlineData("")]
    [InlineData("a:b")]
    public void Refuses_user_names_that_could_escape_the_mail_folder(string user)
    {
        var error = Assert.Throws<StorageException>(() => new MaildirLocator(Options).Resolve(user, null));

        Assert.False(error.IsTemporary);
    }

    /// <summary>
    /// The locator applies the shared <see cref="Postino.Storage.Users.UserName"/> rule, not a looser one of its own:
    /// ':' (the passwd-file separator) and broken UTF-16 are refused with the shared rule's reason. Lone surrogates are
    /// built here rather than passed as theory data, which test runners cannot always serialise.
    /// </summary>
    [Fact]
    public void Refuses_a_colon_and_lone_surrogates_by_the_shared_user_name_rule()
    {
        var locator = new MaildirLocator(Options);
        string[] refused = ["bob:x", "a\uD800b", "bob\uDC00", "\uD83D"];

        foreach (var user in refused)
        {
            var error = Assert.Throws<StorageException>(() => locator.Resolve(user, null));
            Assert.False(error.IsTemporary);
            Assert.EndsWith(Postino.Storage.Users.UserName.Problem(user)!, error.Message, StringComparison.Ordinal);
        }

        Assert.EndsWith("/mail/bob\U0001F600/Maildir", locator.Resolve("bob\U0001F600", null), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_user_names_over_255_octets()
    {
        var locator = new MaildirLocator(Options);

        Assert.Throws<StorageException>(() => locator.Resolve(new string('é', 128), null));
        Assert.EndsWith(new string('e', 255) + "/Maildir", locator.Resolve(new string('e', 255), null), StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_with_a_home_fails_clearly_for_a_user_without_one()
    {
        var locator = new MaildirLocator(Options with { LocationTemplate = "%h/Maildir" });

        Assert.Throws<StorageException>(() => locator.Resolve("bob", null));
    }
}
