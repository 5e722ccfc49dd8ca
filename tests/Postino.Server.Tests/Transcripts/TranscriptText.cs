using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Postino.Server.Tests.Transcripts;

/// <summary>The escapes of transcript text, in one place (tests/transcripts/README.md).</summary>
public static partial class TranscriptText
{
    /// <summary>
    /// The octets of a text: <c>{X*N}</c> is X repeated N times, <c>\xHH</c> the octet HH; everything else is its
    /// UTF-8 encoding (so a backslash not followed by x and two hex digits is itself).
    /// </summary>
    public static byte[] Decode(string text)
    {
        text = Expand(text);
        var bytes = new List<byte>(text.Length);
        var plain = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 3 < text.Length && text[i + 1] == 'x' && IsHex(text[i + 2]) && IsHex(text[i + 3]))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[plain..i]));
                bytes.Add(byte.Parse(text.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 3;
                plain = i + 1;
            }
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(text[plain..]));
        return [.. bytes];
    }

    /// <summary>Only the repetitions: <c>{X*N}</c> is X repeated N times.</summary>
    public static string Expand(string text) =>
        Repeat().Replace(text, m => string.Concat(Enumerable.Repeat(m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))));

    /// <summary>
    /// A client line's octets: CRLF appended, unless the line ends in <c>&lt;LF&gt;</c> (a bare LF),
    /// <c>&lt;CR&gt;</c> (a bare CR) or <c>&lt;NOEOL&gt;</c> (no line end at all).
    /// </summary>
    public static byte[] ClientLine(string content) => content switch
    {
        _ when content.EndsWith("<NOEOL>", StringComparison.Ordinal) => Decode(content[..^"<NOEOL>".Length]),
        _ when content.EndsWith("<LF>", StringComparison.Ordinal) => Decode(content[..^"<LF>".Length] + "\n"),
        _ when content.EndsWith("<CR>", StringComparison.Ordinal) => Decode(content[..^"<CR>".Length] + "\r"),
        _ => Decode(content + "\r\n"),
    };

    /// <summary>A server line's octets: always CRLF appended.</summary>
    public static byte[] ServerLine(string content) => Decode(content + "\r\n");

    /// <summary>Words split at single spaces; "\ " is a space inside a word (kept escaped, see <see cref="Unescape"/>).</summary>
    public static IReadOnlyList<string> SplitWords(string text)
    {
        var words = new List<string>();
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ' ' && (i == 0 || text[i - 1] != '\\')))
            {
                if (i > start)
                {
                    words.Add(text[start..i]);
                }

                start = i + 1;
            }
        }

        return words;
    }

    /// <summary>The text after the first <paramref name="count"/> space-separated words, spaces inside it kept.</summary>
    public static string After(string text, int count)
    {
        var position = 0;
        for (var word = 0; word < count; word++)
        {
            while (position < text.Length && (text[position] != ' ' || (position > 0 && text[position - 1] == '\\')))
            {
                position++;
            }

            position = Math.Min(position + 1, text.Length);
        }

        return text[position..];
    }

    /// <summary>A name with "\ " for each space (POP2's own escape, which transcript names share).</summary>
    public static string Unescape(string word) => word.Replace("\\ ", " ", StringComparison.Ordinal);

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    [GeneratedRegex(@"\{(.+?)\*(\d+)\}")]
    private static partial Regex Repeat();
}
