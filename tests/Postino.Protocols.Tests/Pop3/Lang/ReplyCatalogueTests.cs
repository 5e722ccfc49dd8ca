using Postino.Protocols.Pop3.Lang;

namespace Postino.Protocols.Tests.Pop3.Lang;

public class ReplyCatalogueTests
{
    private static readonly ReplyCatalogue Catalogue = ReplyCatalogue.Embedded;

    public static TheoryData<string> Keys() => new(Catalogue.Default.Keys);

    [Fact]
    public void English_is_the_default_and_italian_is_there() =>
        Assert.Equal(["en English", "it Italiano"], Catalogue.Languages.Select(l => l.ToString()));

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_language_has_every_key_and_formats(string key)
    {
        foreach (var language in Catalogue.Languages)
        {
            Assert.NotNull(language.Template(key));
            var text = language.Text(key, 7, 1234);
            Assert.DoesNotContain('\r', text);
            Assert.DoesNotContain('\n', text);
        }
    }

    [Fact]
    public void Every_language_has_exactly_the_default_keys() =>
        Assert.All(Catalogue.Languages, language => Assert.Equal(Catalogue.Default.Keys.Order(), language.Keys.Order()));

    [Fact]
    public void Arguments_are_filled_in()
    {
        Assert.Equal("There is no message 3", Catalogue.Default.Text("NoSuchMessage", 3));
        Assert.Equal("Il messaggio 3 non esiste", Catalogue.Select("it")!.Text("NoSuchMessage", 3));
        Assert.Equal("Logged in, maildrop has 2 messages (1234 octets)", Catalogue.Default.Text("LoggedIn", 2, 1234L));
    }

    [Theory]
    [InlineData("it", "it")]
    [InlineData("IT", "it")]
    [InlineData("it-CH", "it")]
    [InlineData("en-GB-oxendict", "en")]
    [InlineData("*", "en")]
    public void Select_follows_rfc4647_lookup(string range, string expected) => Assert.Equal(expected, Catalogue.Select(range)?.Tag);

    [Theory]
    [InlineData("de")]
    [InlineData("")]
    [InlineData("i")]
    public void Select_unknown_is_null(string range) => Assert.Null(Catalogue.Select(range));

    [Fact]
    public void Unknown_key_comes_back_as_itself() => Assert.Equal("no-such-key", Catalogue.Default.Text("no-such-key"));

    [Fact]
    public void Incomplete_language_is_refused()
    {
        var english = """{"tag":"en","name":"English","texts":{"a":"A {0}","b":"B"}}""";
        var exception = Assert.Throws<FormatException>(() =>
            ReplyCatalogue.FromJson([english, """{"tag":"de","name":"Deutsch","texts":{"a":"A {0}"}}"""]));
        Assert.Contains("'b'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_key_in_another_language_is_refused()
    {
        var exception = Assert.Throws<FormatException>(() => ReplyCatalogue.FromJson([
            """{"tag":"en","name":"English","texts":{"a":"A"}}""",
            """{"tag":"de","name":"Deutsch","texts":{"a":"A","aa":"typo"}}""",
        ]));
        Assert.Contains("'aa'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Placeholder_mismatch_is_refused() =>
        Assert.Throws<FormatException>(() => ReplyCatalogue.FromJson([
            """{"tag":"en","name":"English","texts":{"a":"A {0}"}}""",
            """{"tag":"de","name":"Deutsch","texts":{"a":"A"}}""",
        ]));

    [Theory]
    [InlineData("""{"tag":"en","name":"English"}""")]
    [InlineData("""not json""")]
    [InlineData("""{"tag":"fr","name":"Français","texts":{}}""")]
    public void Invalid_documents_are_refused(string document) =>
        Assert.Throws<FormatException>(() => ReplyCatalogue.FromJson([document]));

    [Fact]
    public void A_new_language_is_one_more_document()
    {
        var catalogue = ReplyCatalogue.FromJson([
            """{"tag":"en","name":"English","texts":{"a":"A {0}","b":"B"}}""",
            """{"tag":"de","name":"Deutsch","texts":{"a":"Ä {0}"}}""".Replace("}}", ",\"b\":\"Be\"}}", StringComparison.Ordinal),
        ]);
        Assert.Equal("Ä 1", catalogue.Select("de-AT")!.Text("a", 1));
    }
}
