namespace Postino.Server.Delivery;

/// <summary>
/// The guard on every value Postino writes into a header field (Return-Path, Received, Delivered-To): a CR, LF or NUL
/// there would end the field and let whoever chose the value (an SMTP client's HELO, a sender address) add headers.
/// </summary>
public static class HeaderText
{
    /// <summary>True when <paramref name="value"/> holds any control character (TAB included): refused in an address.</summary>
    public static bool HasControlCharacters(string value) => value.Any(char.IsControl);

    /// <summary>
    /// The value with every control character that could break a header line (all but TAB) replaced by '?'. Callers
    /// refuse such values earlier (501, exit 64); this is the last line, so that no path can fold a CR or LF into a header.
    /// </summary>
    public static string Safe(string value)
    {
        if (!value.Any(Breaks))
        {
            return value;
        }

        return string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = Breaks(source[i]) ? '?' : source[i];
            }
        });
    }

    private static bool Breaks(char c) => char.IsControl(c) && c != '\t';
}
