using Postino.Protocols.Pop3.Lang;

namespace Postino.Server.Pop3.Lang;

/// <summary>
/// The session catalogues of every language in the reply catalogue (Postino.Protocols/Pop3/Lang/TAG.json): English
/// is the default and the fallback of the others.
/// </summary>
public static class Pop3Languages
{
    private static readonly IReadOnlyList<(ReplyLanguage Language, Pop3Texts Texts)> Catalogues = Build();

    public static Pop3Texts English => Catalogues[0].Texts;

    /// <summary>Every language, the default first, as "tag name" pairs (what LANG lists).</summary>
    public static IEnumerable<(string Tag, string Name)> Listing => Catalogues.Select(c => (c.Language.Tag, c.Language.Name));

    /// <summary>The texts for a LANG argument ("*" = default, RFC 4647 lookup), or null.</summary>
    public static Pop3Texts? Select(string languageRange)
    {
        var language = ReplyCatalogue.Embedded.Select(languageRange);
        return language is null ? null : Catalogues.First(c => c.Language == language).Texts;
    }

    private static List<(ReplyLanguage, Pop3Texts)> Build()
    {
        var catalogue = ReplyCatalogue.Embedded;
        var english = ToTexts(catalogue.Default, fallback: null);
        var all = new List<(ReplyLanguage, Pop3Texts)> { (catalogue.Default, english) };
        all.AddRange(catalogue.Languages.Skip(1).Select(l => (l, ToTexts(l, english))));
        return all;
    }

    // Keys unknown to this build are ignored, so a newer language file never breaks an older server.
    private static Pop3Texts ToTexts(ReplyLanguage language, Pop3Texts? fallback)
    {
        var texts = new Dictionary<Pop3TextKey, string>();
        foreach (var key in language.Keys)
        {
            if (Enum.TryParse<Pop3TextKey>(key, out var textKey))
            {
                texts[textKey] = language.Template(key)!;
            }
        }

        return new Pop3Texts(language.Tag, texts, fallback);
    }
}
