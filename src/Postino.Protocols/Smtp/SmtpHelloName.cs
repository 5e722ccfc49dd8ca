using System.Net;
using System.Net.Sockets;

namespace Postino.Protocols.Smtp;

/// <summary>
/// The argument of HELO, EHLO and LHLO (RFC 5321 4.1.1.1): a domain or an address literal. It goes into the Received
/// header and the 250 reply, so anything else (a CR, a NUL, a space, a colon) is refused rather than cleaned.
/// </summary>
public static class SmtpHelloName
{
    private const int MaxDomainLength = 255;
    private const int MaxLabelLength = 63;

    /// <summary>True when <paramref name="name"/> is a domain (a trailing dot and, as Postfix allows, '_' tolerated;
    /// U-labels too, for SMTPUTF8 clients) or an address literal (<c>[192.0.2.1]</c>, <c>[IPv6:2001:db8::1]</c>).</summary>
    public static bool IsValid(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.StartsWith('[') ? IsAddressLiteral(name) : IsDomain(name);
    }

    private static bool IsDomain(string name)
    {
        var labels = name.EndsWith('.') ? name.AsSpan(0, name.Length - 1) : name.AsSpan();
        if (labels.Length == 0 || labels.Length > MaxDomainLength)
        {
            return false;
        }

        foreach (var range in labels.Split('.'))
        {
            var label = labels[range];
            if (label.Length == 0 || label.Length > MaxLabelLength || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' || (c > 0x7F && char.IsLetterOrDigit(c))))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsAddressLiteral(string name)
    {
        if (name.Length < 3 || !name.EndsWith(']'))
        {
            return false;
        }

        var inside = name[1..^1];
        if (inside.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.TryParse(inside[5..], out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
                && !inside.Contains('%', StringComparison.Ordinal);
        }

        var colon = inside.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return IsDottedQuad(inside);
        }

        // General-address-literal: Standardized-tag ":" 1*dcontent (printable ASCII but "[", "\" and "]").
        var tag = inside.AsSpan(0, colon);
        var content = inside.AsSpan(colon + 1);
        return tag.Length > 0 && IsDomainLabel(tag) && content.Length > 0
            && !content.ContainsAnyExceptInRange((char)33, (char)126) && content.IndexOfAny("[\\]") < 0;
    }

    private static bool IsDomainLabel(ReadOnlySpan<char> label)
    {
        foreach (var c in label)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return label[^1] != '-';
    }

    private static bool IsDottedQuad(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit) && int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) <= 255);
    }
}
