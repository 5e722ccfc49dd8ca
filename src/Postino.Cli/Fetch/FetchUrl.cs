using System.Globalization;
using Postino.Fetch.Fetching;
using Postino.Fetch.Protocol;

namespace Postino.Cli.Fetch;

/// <summary>
/// The account URL of a one-off fetch: <c>pop3://USER@HOST[:PORT]</c>, <c>pop3s://...</c> (implicit TLS) or
/// <c>pop2://...</c>; the user may be %-encoded (<c>alice%40example.org@pop.example.org</c>). <c>pop3://</c> upgrades
/// with STLS whenever the server offers it.
/// </summary>
internal sealed record FetchUrl(MailProtocol Protocol, TlsMode Tls, string Host, int Port, string User)
{
    public static FetchUrl? TryParse(string text, out string? error)
    {
        error = null;
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            error = $"\"{text}\" is not an account URL; expected pop3://USER@HOST[:PORT], pop3s://... or pop2://...";
            return null;
        }

        var scheme = text[..schemeEnd].ToLowerInvariant();
        (MailProtocol Protocol, TlsMode Tls, int Port)? kind = scheme switch
        {
            "pop3" => (MailProtocol.Pop3, TlsMode.StartTlsIfOffered, 110),
            "pop3s" => (MailProtocol.Pop3, TlsMode.Implicit, 995),
            "pop2" => (MailProtocol.Pop2, TlsMode.None, 109),
            _ => null,
        };
        if (kind is null)
        {
            error = $"Unknown scheme \"{scheme}\"; use pop3, pop3s or pop2.";
            return null;
        }

        var rest = text[(schemeEnd + 3)..].TrimEnd('/');
        var at = rest.LastIndexOf('@');
        if (at <= 0 || at == rest.Length - 1)
        {
            error = $"The URL \"{text}\" needs a user: {scheme}://USER@HOST[:PORT].";
            return null;
        }

        var user = Uri.UnescapeDataString(rest[..at]);
        var hostPort = rest[(at + 1)..];
        var port = kind.Value.Port;
        string host;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"Malformed IPv6 address in \"{text}\".";
                return null;
            }

            host = hostPort[1..close];
            var after = hostPort[(close + 1)..];
            if (after.Length > 0 && (!after.StartsWith(':') || !TryPort(after[1..], out port)))
            {
                error = $"Malformed port in \"{text}\".";
                return null;
            }
        }
        else
        {
            var colon = hostPort.LastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort[..colon];
            if (colon >= 0 && !TryPort(hostPort[(colon + 1)..], out port))
            {
                error = $"Malformed port in \"{text}\".";
                return null;
            }
        }

        if (host.Length == 0)
        {
            error = $"The URL \"{text}\" has no host.";
            return null;
        }

        return new FetchUrl(kind.Value.Protocol, kind.Value.Tls, host, port, user);
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536;
}
