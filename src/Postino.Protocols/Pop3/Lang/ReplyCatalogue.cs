using System.Text.Json;
using System.Text.RegularExpressions;

namespace Postino.Protocols.Pop3.Lang;

/// <summary>
/// The POP3 reply texts in every language the server speaks (RFC 6856 LANG). Each language is one JSON resource,
/// Pop3/Lang/TAG.json, embedded in this assembly: adding a language is adding a file. English is the default, and its
/// keys are the names of the session's text keys (Postino.Server.Pop3.Pop3TextKey).
/// </summary>
public sealed partial class ReplyCatalogue
{
    private const string ResourcePrefix = "Postino.Pop3.Lang.";
    private const string DefaultTag = "en";

    private ReplyCatalogue(IReadOnlyList<ReplyLanguage> languages, ReplyLanguage defaultLanguage)
    {
        Languages = languages;
        Default = defaultLanguage;
    }

    /// <summary>The catalogue built from the embedded language files.</summary>
    public static ReplyCatalogue Embedded { get; } = LoadEmbedded();

    /// <summary>The language replies use until LANG changes it.</summary>
    public ReplyLanguage Default { get; }

    /// <summary>All languages, the default first (the order LANG lists them in).</summary>
    public IReadOnlyList<ReplyLanguage> Languages { get; }

    /// <summary>
    /// The language for a LANG argument: "*" is the default; otherwise RFC 4647 lookup, case-insensitive, dropping
    /// subtags from the end ("it-CH" finds "it"). Null when nothing matches.
    /// </summary>
    public ReplyLanguage? Select(string languageRange)
    {
        ArgumentNullException.ThrowIfNull(languageRange);
        var range = languageRange.Trim();
        if (range == "*")
        {
            return Default;
        }

        while (range.Length > 0)
        {
            var match = Languages.FirstOrDefault(l => string.Equals(l.Tag, range, StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                return match;
            }

            var cut = range.LastIndexOf('-');
            range = cut < 0 ? string.Empty : range[..cut];
        }

        return null;
    }

    /// <summary>
    /// Builds a catalogue from language documents ({"tag", "name", "texts": {key: template}}). Every language must have
    /// the default language's keys with the same "{n}" placeholders.
    /// </summary>
    /// <exception cref="FormatException">A document is invalid or incomplete.</exception>
    public static ReplyCatalogue FromJson(IEnumerable<string> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var parsed = documents.Select(Parse).ToList();
        var english = parsed.FirstOrDefault(p => p.Tag == DefaultTag)
            ?? throw new FormatException("The reply catalogue has no default language (en).");
        var defaultLanguage = new ReplyLanguage(english.Tag, english.Name, english.Texts, null);
        var languages = new List<ReplyLanguage> { defaultLanguage };
        foreach (var language in parsed.Where(p => p != english).OrderBy(p => p.Tag, StringComparer.Ordinal))
        {
            CheckComplete(english, language);
            languages.Add(new ReplyLanguage(language.Tag, language.Name, language.Texts, defaultLanguage));
        }

        return new ReplyCatalogue(languages, defaultLanguage);
    }

    private static ReplyCatalogue LoadEmbedded()
    {
        var assembly = typeof(ReplyCatalogue).Assembly;
        var documents = new List<string>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            documents.Add(reader.ReadToEnd());
        }

        return FromJson(documents);
    }

    private static ParsedLanguage Parse(string json)
    {
        try
        {
            var document = JsonSerializer.Deserialize(json, LanguageJsonContext.Default.LanguageDocument)
                ?? throw new FormatException("Empty language document.");
            if (string.IsNullOrWhiteSpace(document.Tag) || string.IsNullOrWhiteSpace(document.Name) || document.Texts is null)
            {
                throw new FormatException("A language document needs tag, name and texts.");
            }

            return new ParsedLanguage(document.Tag, document.Name, document.Texts);
        }
        catch (JsonException exception)
        {
            throw new FormatException("Invalid language document: " + exception.Message, exception);
        }
    }

    private static void CheckComplete(ParsedLanguage reference, ParsedLanguage language)
    {
        foreach (var (key, template) in reference.Texts)
        {
            if (!language.Texts.TryGetValue(key, out var translated))
            {
                throw new FormatException($"Language '{language.Tag}' lacks the text '{key}'.");
            }

            if (!Placeholders(template).SetEquals(Placeholders(translated)))
            {
                throw new FormatException($"Language '{language.Tag}' text '{key}' has other placeholders than '{reference.Tag}'.");
            }
        }

        foreach (var key in language.Texts.Keys.Where(k => !reference.Texts.ContainsKey(k)))
        {
            // A misspelt key would otherwise be ignored while the real one silently fell back to the default.
            throw new FormatException($"Language '{language.Tag}' has the text '{key}', which '{reference.Tag}' does not have.");
        }
    }

    private static HashSet<string> Placeholders(string template) =>
        PlaceholderPattern().Matches(template).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderPattern();

    private sealed record ParsedLanguage(string Tag, string Name, Dictionary<string, string> Texts);
}
