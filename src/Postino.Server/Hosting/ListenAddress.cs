using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Postino.Server.Hosting;

/// <summary>
/// A listener address as written in the config and on the command line: "ADDR:PORT" (IPv4, "[IPv6]", "localhost"
/// or "*" for every address), "unix:PATH" for a Unix socket, or "none" for no listener.
/// </summary>
public static class ListenAddress
{
    public const string None = "none";

    /// <summary>Parses an address; <paramref name="endPoint"/> is null (and the result true) for "none".</summary>
    public static bool TryParse(string? text, out EndPoint? endPoint, out string error)
    {
        endPoint = null;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty (write ADDR:PORT, unix:PATH or none)";
            return false;
        }

        text = text.Trim();
        if (text.Equals(None, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (text.StartsWith("unix:", StringComparison.Ordinal))
        {
            var path = text["unix:".Length..];
            if (path.Length == 0)
            {
                error = "unix: needs a socket path (unix:/run/postino/lmtp)";
                return false;
            }

            endPoint = new UnixDomainSocketEndPoint(path);
            return true;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            error = $"\"{text}\" is not ADDR:PORT with a port from 0 to 65535 (or unix:PATH, or none)";
            return false;
        }

        var host = text[..colon];
        var address = host switch
        {
            "*" => IPAddress.Any,
            "localhost" => IPAddress.Loopback,
            _ when host.StartsWith('[') && host.EndsWith(']') && IPAddress.TryParse(host[1..^1], out var v6) => v6,
            _ when !host.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(host, out var v4) => v4,
            _ => null,
        };
        if (address is null)
        {
            error = $"\"{host}\" is not an IP address (write 127.0.0.1, [::1], localhost or *)";
            return false;
        }

        endPoint = new IPEndPoint(address, port);
        return true;
    }
}
