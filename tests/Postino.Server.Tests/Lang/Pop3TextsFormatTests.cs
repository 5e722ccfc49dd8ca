using System.Globalization;
using Postino.Server.Pop3;
using Postino.Server.Pop3.Lang;

namespace Postino.Server.Tests.Lang;

/// <summary>The allocation-free formatting of reply texts gives what string.Format gives, for every text of every language.</summary>
public class Pop3TextsFormatTests
{
    public static TheoryData<string, Pop3TextKey> EveryText()
    {
        var data = new TheoryData<string, Pop3TextKey>();
        foreach (var language in new[] { "en", "it" })
        {
            foreach (var key in Enum.GetValues<Pop3TextKey>())
            {
                data.Add(language, key);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryText))]
    public void Formats_as_string_format_does(string language, Pop3TextKey key)
    {
        var texts = language == "en" ? Pop3Texts.English : Pop3Languages.Select(language)!;
        var template = texts[key];
        var arguments = template.Contains("{1}", StringComparison.Ordinal) ? 2 : template.Contains("{0}", StringComparison.Ordinal) ? 1 : 0;
        Span<char> buffer = stackalloc char[512];
        foreach (var (first, second) in new (long, object)[] { (0, 0L), (int.MaxValue, long.MaxValue), (7, "host.example") })
        {
            Pop3TextArgument secondArgument = second is string text ? text : (long)second;
            var expected = string.Format(CultureInfo.InvariantCulture, template, first, second);

            Assert.True(texts.TryFormat(key, buffer, out var written, first, arguments == 2 ? secondArgument : default));
            Assert.Equal(expected, buffer[..written].ToString());
        }
    }

    [Fact]
    public void A_text_that_does_not_fit_or_lacks_an_argument_is_left_to_string_format()
    {
        Span<char> small = stackalloc char[8];
        Span<char> buffer = stackalloc char[512];

        Assert.False(Pop3Texts.English.TryFormat(Pop3TextKey.LoggedIn, small, out _, 5, 100));
        Assert.False(Pop3Texts.English.TryFormat(Pop3TextKey.LoggedIn, buffer, out _, 5));
        Assert.True(Pop3Texts.English.TryFormat(Pop3TextKey.RetrFollows, buffer, out var written, long.MaxValue));
        Assert.Equal("9223372036854775807 octets", buffer[..written].ToString());
    }

    [Fact]
    public void Braces_and_format_items_follow_string_format()
    {
        var texts = new Pop3Texts("xx", new Dictionary<Pop3TextKey, string>
        {
            [Pop3TextKey.Deleted] = "{{literal}} {0} }}",
            [Pop3TextKey.RetrFollows] = "{0:N0} octets",
        }, fallback: null);
        Span<char> buffer = stackalloc char[64];

        Assert.True(texts.TryFormat(Pop3TextKey.Deleted, buffer, out var written, 3));
        Assert.Equal(string.Format(CultureInfo.InvariantCulture, "{{literal}} {0} }}", 3), buffer[..written].ToString());
        Assert.False(texts.TryFormat(Pop3TextKey.RetrFollows, buffer, out _, 3));
    }
}
