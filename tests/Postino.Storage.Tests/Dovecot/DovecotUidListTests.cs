using System.Text;
using Postino.Storage.Dovecot;

namespace Postino.Storage.Tests.Dovecot;

public sealed class DovecotUidListTests
{
    private readonly List<(int Line, string Reason)> _warnings = [];

    [Fact]
    public void Version_3_header_and_records_with_extension_fields_are_read_by_base_name()
    {
        var list = Parse(
            "3 V1796513540 N4 Ge6febe16049f146bf40b000083ecc375\n"
            + "1 W23 :1796513538.M1.test\n"
            + "2 W1260 S1234 G0123456789abcdef P+legacy-uidl :1796513538.M2.host,S=1234,W=1260:2,S\n"
            + "3 :1796513538.M3.test\n");

        Assert.NotNull(list);
        Assert.Equal(1796513540u, list.UidValidity);
        Assert.Equal(4u, list.NextUid);
        Assert.Equal(3, list.Records.Count);
        Assert.Equal(1u, list.Records["1796513538.M1.test"].Uid);
        var second = list.Records["1796513538.M2.host,S=1234,W=1260"];
        Assert.Equal(2u, second.Uid);
        Assert.Equal("+legacy-uidl", second.SavedPop3Uidl);
        Assert.Equal("0123456789abcdef", second.Guid);
        Assert.Equal("1260", second.Extensions['W']);
        Assert.Null(list.Records["1796513538.M3.test"].SavedPop3Uidl);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void Version_1_is_read_too()
    {
        var list = Parse("1 1700000000 3\n1 1700000000.A.host\n2 1700000001.B.host:2,S\n");

        Assert.NotNull(list);
        Assert.Equal(1700000000u, list.UidValidity);
        Assert.Equal(2u, list.Records["1700000001.B.host"].Uid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2 V1 N2\n1 :a\n")]
    [InlineData("3 N4\n1 :a\n")]
    [InlineData("3 Vabc N4\n")]
    [InlineData("garbage\n")]
    public void An_unusable_header_gives_no_list_and_a_warning(string text)
    {
        Assert.Null(Parse(text));
        Assert.Single(_warnings);
    }

    [Fact]
    public void Malformed_lines_are_skipped_with_a_warning_and_the_others_kept()
    {
        var list = Parse(
            "3 V7 N9\n"
            + "1 :good.1\n"
            + "x :no-uid\n"
            + "2 W12\n"
            + "3 :bad/name\n"
            + "1 :uid-not-ascending\n"
            + "0 :uid-zero\n"
            + "4 !bad-extension :name.4\n"
            + "5 :good.5\r\n"
            + "\n"
            + "6 :good.6");

        Assert.NotNull(list);
        Assert.Equal(["good.1", "good.5", "good.6"], list.Records.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([3, 4, 5, 6, 7, 8], _warnings.Select(w => w.Line));
    }

    [Fact]
    public void An_over_long_line_is_skipped_without_being_held_and_the_next_line_is_read()
    {
        var list = Parse("3 V7 N9\n1 :" + new string('a', DovecotUidList.MaxLineLength * 4) + "\n2 :after\n");

        Assert.NotNull(list);
        Assert.Equal(["after"], list.Records.Keys);
        Assert.Equal(2, Assert.Single(_warnings).Line);
    }

    [Fact]
    public void A_later_line_for_the_same_file_wins_as_in_Dovecot()
    {
        var list = Parse("3 V7 N9\n1 :same\n5 :same:2,S\n");

        Assert.Equal(5u, list!.Records["same"].Uid);
    }

    [Fact]
    public void The_next_uid_is_never_below_the_last_record()
    {
        Assert.Equal(11u, Parse("3 V7 N2\n10 :a\n")!.NextUid);
    }

    private DovecotUidList? Parse(string text) =>
        DovecotUidList.Parse(new MemoryStream(Encoding.UTF8.GetBytes(text)), (line, reason) => _warnings.Add((line, reason)));
}
