using System.Text;

namespace Postino.Protocols.Smtp;

/// <summary>A mailbox address from a MAIL or RCPT path: local part and domain (the domain is empty only for
/// <c>&lt;Postmaster&gt;</c>).</summary>
public sealed record SmtpAddress(string LocalPart, string Domain)
{
    /// <summary>True when the address needs SMTPUTF8 (RFC 6531): it holds characters beyond ASCII.</summary>
    public bool IsInternational => !Ascii.IsValid(LocalPart) || !Ascii.IsValid(Domain);

    public override string ToString() => Domain.Length == 0 ? LocalPart : $"{LocalPart}@{Domain}";

    /// <summary>
    /// Parses the inside of a path (what stands between <c>&lt;</c> and <c>&gt;</c>), dropping any source route
    /// (<c>@a,@b:</c>). Returns null when it is not a mailbox.
    /// </summary>
    public static SmtpAddress? TryParse(string path)
    {
        if (path.StartsWith('@'))
        {
            var colon = path.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return null;
            }

            path = path[(colon + 1)..];
        }

        if (path.Length == 0 || path.Any(IsForbidden))
        {
            return null;
        }

        if (path.Equals("postmaster", StringComparison.OrdinalIgnoreCase))
        {
            return new SmtpAddress(path, string.Empty);
        }

        var at = AtSignAfterLocalPart(path);
        if (at <= 0 || at == path.Length - 1)
        {
            return null;
        }

        var local = path[..at];
        var domain = path[(at + 1)..];
        if (!IsValidLocalPart(local) || !IsValidDomain(domain))
        {
            return null;
        }

        return new SmtpAddress(local, domain);
    }

    /// <summary>A local part alone (<c>user5</c>), as LMTP clients that deliver by user name send; null when not one.</summary>
    public static SmtpAddress? TryParseBareLocalPart(string path) =>
        path.Length > 0 && !path.Any(IsForbidden) && !path.StartsWith('"') && IsValidLocalPart(path)
            ? new SmtpAddress(path, string.Empty)
            : null;

    private static bool IsForbidden(char c) => char.IsControl(c) || c is '<' or '>';

    private static int AtSignAfterLocalPart(string path)
    {
        if (!path.StartsWith('"'))
        {
            return path.LastIndexOf('@');
        }

        for (var i = 1; i < path.Length; i++)
        {
            if (path[i] == '\\')
            {
                i++;
            }
            else if (path[i] == '"')
            {
                return i + 1 < path.Length && path[i + 1] == '@' ? i + 1 : -1;
            }
        }

        return -1;
    }

    private static bool IsValidLocalPart(string local)
    {
        if (local.StartsWith('"'))
        {
            return local.Length >= 2 && local.EndsWith('"');
        }

        return !local.StartsWith('.') && !local.EndsWith('.') && !local.Contains("..", StringComparison.Ordinal)
            && !local.Contains('@', StringComparison.Ordinal) && !local.Any(c => c is ' ' or '(' or ')' or ',' or ':' or ';' or '[' or ']' or '\\' or '"');
    }

    private static bool IsValidDomain(string domain)
    {
        if (domain.StartsWith('['))
        {
            return domain.EndsWith(']') && domain.Length > 2;
        }

        // A trailing dot (a fully qualified "example.org.") is tolerated.
        var labels = domain.EndsWith('.') ? domain[..^1] : domain;
        return labels.Split('.').All(label => label.Length > 0 && label.All(c => char.IsLetterOrDigit(c) || c == '-' || c > 0x7F));
    }
}
