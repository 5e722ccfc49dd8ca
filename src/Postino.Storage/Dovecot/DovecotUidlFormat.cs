using System.Globalization;
using System.Text;

namespace Postino.Storage.Dovecot;

/// <summary>
/// Dovecot's <c>pop3_uidl_format</c>: the UIDL it gives a message it has no saved one for. Dovecot's default is
/// <c>%08Xu%08Xv</c> (UID then UIDVALIDITY, each 8 hex digits, lower case as Dovecot prints them). Supported: <c>%u</c> UID, <c>%v</c>
/// UIDVALIDITY, <c>%f</c> the file's base name, <c>%g</c> the message GUID (the uidlist's <c>G</c> field, else the base
/// name, as Dovecot's Maildir does), <c>%%</c>; each with an optional <c>0</c>, width and <c>X</c> (hex) as in
/// Dovecot's variable syntax. <c>%m</c> (an MD5 of the header, kept in Dovecot's index cache) cannot be recomputed
/// here and is refused.
/// </summary>
public sealed class DovecotUidlFormat
{
    public const string DovecotDefault = "%08Xu%08Xv";

    private readonly List<Part> _parts;

    private DovecotUidlFormat(List<Part> parts) => _parts = parts;

    public static DovecotUidlFormat Default { get; } = Parse(DovecotDefault);

    /// <exception cref="FormatException">an unknown or unsupported variable, or a lone % at the end.</exception>
    public static DovecotUidlFormat Parse(string format)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%')
            {
                literal.Append(format[i]);
                continue;
            }

            if (++i == format.Length)
            {
                throw new FormatException("a % at the end");
            }

            if (format[i] == '%')
            {
                literal.Append('%');
                continue;
            }

            var zero = format[i] == '0';
            var width = 0;
            while (i < format.Length && char.IsAsciiDigit(format[i]))
            {
                width = Math.Min((width * 10) + (format[i] - '0'), 64);
                i++;
            }

            char? hex = null;
            if (i < format.Length && format[i] is 'X' or 'x')
            {
                hex = format[i];
                i++;
            }

            if (i == format.Length)
            {
                throw new FormatException("a % without a variable at the end");
            }

            var variable = format[i] switch
            {
                'u' or 'v' or 'f' or 'g' => format[i],
                'm' => throw new FormatException("%m (an MD5 of the header from Dovecot's index cache) cannot be recomputed; save the UIDLs in Dovecot first (pop3_save_uidl = yes)"),
                _ => throw new FormatException($"unknown variable %{format[i]}"),
            };
            if (literal.Length > 0)
            {
                parts.Add(new Part(literal.ToString(), null, false, 0, null));
                literal.Clear();
            }

            parts.Add(new Part(null, variable, zero, width, hex));
        }

        if (literal.Length > 0)
        {
            parts.Add(new Part(literal.ToString(), null, false, 0, null));
        }

        return new DovecotUidlFormat(parts);
    }

    /// <summary>The UIDL Dovecot gives this record: its saved POP3 UIDL when it has one, else the format's.</summary>
    public string UidlOf(DovecotUidListRecord record, uint uidValidity) =>
        record.SavedPop3Uidl ?? Format(record.Uid, uidValidity, record.BaseName, record.Guid ?? record.BaseName);

    public string Format(uint uid, uint uidValidity, string baseName, string guid)
    {
        var result = new StringBuilder(32);
        foreach (var part in _parts)
        {
            if (part.Literal is { } text)
            {
                result.Append(text);
                continue;
            }

            var value = part.Variable switch
            {
                'u' => Number(uid, part.Hex),
                'v' => Number(uidValidity, part.Hex),
                'f' => baseName,
                _ => guid,
            };
            result.Append(part.Width > value.Length ? value.PadLeft(part.Width, part.Zero ? '0' : ' ') : value);
        }

        return result.ToString();
    }

    /// <summary>
    /// Dovecot's <c>X</c> modifier prints lower-case hex despite its capital (its POP3 server answers UIDL with
    /// <c>000000016b149f04</c>, checked against Dovecot 2.3.19), and clients compare UIDLs case-sensitively.
    /// </summary>
    private static string Number(uint value, char? hex) => hex is null
        ? value.ToString(CultureInfo.InvariantCulture)
        : value.ToString("x", CultureInfo.InvariantCulture);

    private sealed record Part(string? Literal, char? Variable, bool Zero, int Width, char? Hex);
}
