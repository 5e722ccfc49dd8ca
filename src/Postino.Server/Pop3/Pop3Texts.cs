using System.Collections.Frozen;
using System.Globalization;

namespace Postino.Server.Pop3;

/// <summary>
/// The catalogue of reply texts in one language. Every human-readable text a POP3 reply carries comes from here
/// (protocol data such as STAT's "count size" does not), so LANG can switch a session's language by setting
/// <see cref="Pop3Session.Texts"/>. Templates use {0}, {1} placeholders, formatted with the invariant culture.
/// </summary>
public sealed class Pop3Texts
{
    private readonly FrozenDictionary<Pop3TextKey, string> _texts;
    private readonly Pop3Texts? _fallback;

    /// <param name="language">RFC 5646 tag ("en", "it").</param>
    /// <param name="texts">The templates of this language.</param>
    /// <param name="fallback">Where a missing key is looked up (English for every other language).</param>
    public Pop3Texts(string language, IReadOnlyDictionary<Pop3TextKey, string> texts, Pop3Texts? fallback)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(language);
        ArgumentNullException.ThrowIfNull(texts);
        Language = language;
        _texts = texts.ToFrozenDictionary();
        _fallback = fallback;
    }

    /// <summary>The default catalogue (Postino.Protocols/Pop3/Lang/en.json).</summary>
    public static Pop3Texts English => Lang.Pop3Languages.English;

    public string Language { get; }

    /// <summary>Every key this catalogue (not its fallback) has a text for.</summary>
    public IEnumerable<Pop3TextKey> Keys => _texts.Keys;

    public string this[Pop3TextKey key] =>
        _texts.TryGetValue(key, out var text) ? text
        : _fallback is not null ? _fallback[key]
        : key.ToString();

    public string Format(Pop3TextKey key, params object?[] args) =>
        args.Length == 0 ? this[key] : string.Format(CultureInfo.InvariantCulture, this[key], args);

    /// <summary>
    /// Formats the text of <paramref name="key"/> into <paramref name="destination"/> as <see cref="Format"/> would, with
    /// one or two arguments and no allocation: the hot replies (RETR's "n octets", DELE, LIST, login, QUIT). False
    /// when the text does not fit, or its template uses more than plain {0} and {1} items (then use <see cref="Format"/>).
    /// </summary>
    public bool TryFormat(Pop3TextKey key, Span<char> destination, out int written, Pop3TextArgument first, Pop3TextArgument second = default)
    {
        written = 0;
        var template = this[key].AsSpan();
        while (!template.IsEmpty)
        {
            var brace = template.IndexOfAny('{', '}');
            var literal = brace < 0 ? template : template[..brace];
            if (!literal.TryCopyTo(destination[written..]))
            {
                return false;
            }

            written += literal.Length;
            if (brace < 0)
            {
                return true;
            }

            template = template[brace..];
            if (template.Length >= 2 && template[1] == template[0])
            {
                // "{{" and "}}" stand for one brace.
                if (written == destination.Length)
                {
                    return false;
                }

                destination[written++] = template[0];
                template = template[2..];
                continue;
            }

            if (template.Length < 3 || template[0] != '{' || template[2] != '}' || template[1] is not ('0' or '1'))
            {
                return false;
            }

            var argument = template[1] == '0' ? first : second;
            if (!argument.IsPresent || !argument.TryFormat(destination[written..], out var length))
            {
                return false;
            }

            written += length;
            template = template[3..];
        }

        return true;
    }
}
