using System.Text;

namespace Postino.Protocols.Pop2;

/// <summary>
/// The backslash escape of RFC 937 (page 6): inside command arguments <c>\</c> followed by any character stands for
/// that character, so <c>\ </c> carries a space and <c>\\</c> a backslash.
/// </summary>
public static class Pop2Escapes
{
    /// <summary>Undoes the escapes. A lone backslash at the very end has nothing to escape and is kept.</summary>
    public static string Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
            }

            result.Append(text[i]);
        }

        return result.ToString();
    }

    /// <summary>Escapes backslashes and spaces, for a client sending a user name or mailbox name.</summary>
    public static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(" ", "\\ ", StringComparison.Ordinal);

    /// <summary>The index of the first space not preceded by an escaping backslash, or -1.</summary>
    public static int IndexOfUnescapedSpace(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == ' ')
            {
                return i;
            }
        }

        return -1;
    }
}
