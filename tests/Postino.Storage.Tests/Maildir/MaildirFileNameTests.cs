using Postino.Storage.Maildir;

namespace Postino.Storage.Tests.Maildir;

public sealed class MaildirFileNameTests
{
    [Fact]
    public void Parses_a_dovecot_name_with_sizes_and_flags()
    {
        var name = MaildirFileName.Parse("1700000000.M1P2.host,S=123,W=130:2,FS");

        Assert.Equal("1700000000.M1P2.host,S=123,W=130", name.BaseName);
        Assert.Equal("FS", name.Flags);
        Assert.Equal(123, name.StoredSize);
        Assert.Equal(130, name.WireSize);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), name.DeliveredAt);
    }

    [Theory]
    [InlineData("a.b.c", "a.b.c:2,S")]
    [InlineData("a.b.c:2,", "a.b.c:2,S")]
    [InlineData("a.b.c:2,T", "a.b.c:2,ST")]
    [InlineData("a.b.c:2,FRS", "a.b.c:2,FRS")]
    [InlineData("a.b.c:1,xyz", "a.b.c:1,xyz")]
    public void Adds_the_seen_flag_in_order(string fileName, string expected)
    {
        Assert.Equal(expected, MaildirFileName.Parse(fileName).WithFlag('S'));
    }

    [Theory]
    [InlineData("1700000000.M1P2.host,S=5,W=6", "1700000000.M1P2.host")]
    [InlineData("1700000000.V801I2a3M123456.mx.example", "1700000000.V801I2a3M123456.mx.example")]
    public void The_uidl_is_the_unique_part_of_the_name(string baseName, string expected)
    {
        Assert.Equal(expected, MaildirUidl.FromBaseName(baseName));
    }

    [Fact]
    public void Names_that_are_no_valid_uidl_get_a_stable_hash()
    {
        var longName = "1700000000." + new string('x', 80);

        var uidl = MaildirUidl.FromBaseName(longName);

        Assert.Equal(uidl, MaildirUidl.FromBaseName(longName));
        Assert.True(MaildirUidl.IsValid(uidl));
        Assert.NotEqual(uidl, MaildirUidl.FromBaseName(longName + "y"));
    }

    [Fact]
    public void New_names_are_unique_and_their_uidl_fits()
    {
        var now = DateTimeOffset.UnixEpoch.AddYears(56);
        var names = Enumerable.Range(0, 1000).Select(_ => MaildirUniqueName.Create(now, new string('h', 100) + ":/,x")).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.True(MaildirUidl.IsValid(MaildirUidl.FromBaseName(n + ",S=1,W=2"))));
    }
}
