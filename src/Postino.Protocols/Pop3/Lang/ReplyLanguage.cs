using System.Globalization;

namespace Postino.Protocols.Pop3.Lang;

/// <summary>One language of the reply catalogue: its RFC 5646 tag, its own name, and its texts.</summary>
public sealed class ReplyLanguage
{
    private readonly IReadOnlyDictionary<string, string> _texts;
    private readonly ReplyLanguage? _fallback;

    internal ReplyLanguage(string tag, string name, IReadOnlyDictionary<string, string> texts, ReplyLanguage? fallback)
    {
        Tag = tag;
        Name = name;
        _texts = texts;
        _fallback = fallback;
    }

    /// <summary>The language tag ("en", "it").</summary>
    public string Tag { get; }

    /// <summary>The language's name in itself ("English", "Italiano"), as LANG lists it.</summary>
    public string Name { get; }

    /// <summary>The keys this language defines.</summary>
    public IEnumerable<string> Keys => _texts.Keys;

    /// <summary>
    /// The text for <paramref name="key"/> (the name of a Pop3TextKey, e.g. "NoSuchMessage") with its arguments filled
    /// in. A key the language lacks comes from the default language, and an unknown key is returned as itself.
    /// </summary>
    public string Text(string key, params object?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_texts.TryGetValue(key, out var template))
        {
            return _fallback?.Text(key, arguments) ?? key;
        }

        return arguments.Length == 0 ? template : string.Format(CultureInfo.InvariantCulture, template, arguments);
    }

    /// <summary>The raw template, or null when this language lacks it.</summary>
    public string? Template(string key) => _texts.GetValueOrDefault(key);

    public override string ToString() => Tag + " " + Name;
}
