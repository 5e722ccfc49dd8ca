using Postino.Storage.Dovecot;

namespace Postino.Storage.Tests.Dovecot;

public sealed class DovecotUidlFormatTests
{
    private static readonly IReadOnlyDictionary<char, string> NoExtensions = new Dictionary<char, string>();

    [Fact]
    public void The_default_is_uid_then_uidvalidity_in_8_lower_case_hex_digits_as_Dovecot_answers_UIDL()
    {
        // Dovecot 2.3.19 with the default pop3_uidl_format answered "1 000000016b149f04" for UID 1, UIDVALIDITY 1796513540.
        var record = new DovecotUidListRecord(1, "1796513538.M1.test", NoExtensions);

        Assert.Equal("000000016b149f04", DovecotUidlFormat.Default.UidlOf(record, 1796513540));
    }

    [Fact]
    public void A_saved_pop3_uidl_wins_over_the_format()
    {
        var record = new DovecotUidListRecord(7, "base", new Dictionary<char, string> { ['P'] = "UID123-old-server" });

        Assert.Equal("UID123-old-server", DovecotUidlFormat.Default.UidlOf(record, 1));
    }

    [Theory]
    [InlineData("%u.%v", "300.1700000000")]
    [InlineData("%08Xv%08Xu", "6553f1000000012c")]
    [InlineData("%f", "1700000000.M1.host")]
    [InlineData("%g", "guid42")]
    [InlineData("U%%%5u", "U%  300")]
    [InlineData("%{X}", null)]
    [InlineData("%m", null)]
    [InlineData("%q", null)]
    [InlineData("50%", null)]
    public void Other_formats(string format, string? expected)
    {
        if (expected is null)
        {
            Assert.Throws<FormatException>(() => DovecotUidlFormat.Parse(format));
            return;
        }

        var record = new DovecotUidListRecord(300, "1700000000.M1.host", new Dictionary<char, string> { ['G'] = "guid42" });
        Assert.Equal(expected, DovecotUidlFormat.Parse(format).UidlOf(record, 1700000000));
    }
}
