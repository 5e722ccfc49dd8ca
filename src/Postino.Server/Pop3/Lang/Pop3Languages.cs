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

    private static List<(ReplyLanguage, Pop3Texts)> Build() => Build(ReplyCatalogue.Embedded);

    /// <summary>
    /// The session catalogues of <paramref name="catalogue"/>, whose default language must have exactly one text per
    /// <see cref="Pop3TextKey"/> (the other languages were checked against it when the catalogue loaded).
    /// </summary>
    /// <exception cref="FormatException">A text key is missing from, or unknown to, the default language.</exception>
    internal static List<(ReplyLanguage, Pop3Texts)> Build(ReplyCatalogue catalogue)
    {
        var missing = Enum.GetNames<Pop3TextKey>().Except(catalogue.Default.Keys, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new FormatException($"Language '{catalogue.Default.Tag}' lacks the text '{missing[0]}'.");
        }

        var english = ToTexts(catalogue.Default, fallback: null);
        var all = new List<(ReplyLanguage, Pop3Texts)> { (catalogue.Default, english) };
        all.AddRange(catalogue.Languages.Skip(1).Select(l => (l, ToTexts(l, english))));
        return all;
    }

    private static Pop3Texts ToTexts(ReplyLanguage language, Pop3Texts? fallback)
    {
        var texts = new Dictionary<Pop3TextKey, string>();
        foreach (var key in language.Keys)
        {
            // The language files are embedded in this build: a key with no Pop3TextKey is a misspelling.
            if (!Enum.TryParse<Pop3TextKey>(key, ignoreCase: false, out var textKey) || !Enum.IsDefined(textKey))
            {
                throw new FormatException($"Language '{language.Tag}' has the text '{key}', which is no Pop3TextKey.");
            }

            texts[textKey] = language.Template(key)!;
        }

        return new Pop3Texts(language.Tag, texts, fallback);
    }
}
