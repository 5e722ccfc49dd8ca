using System.Net;
using System.Net.Sockets;
using Postino.Server.Hosting;

namespace Postino.Cli.Serve;

/// <summary>
/// Turns a bind failure into one line that names Postino's own listener: <c>pop3s on 127.0.0.1:995: address already
/// in use</c>. The mail listeners throw <see cref="ListenerBindException"/>, which names it; the HTTP listeners (metrics,
/// autoconfig) run on Kestrel, whose message ("Failed to bind to address http://127.0.0.1:9110: address already in
/// use", with the whole exception chain) is matched against the listeners' addresses.
/// </summary>
internal static class ListenFailure
{
    /// <summary>Exit code for a listener that cannot be bound (EX_OSERR, as sysexits.h).</summary>
    public const int ExitCode = 71;

    public static string Describe(IOException exception, IEnumerable<(string Name, EndPoint EndPoint)> listeners)
    {
        var reason = Reason(exception);
        if (exception is ListenerBindException bound)
        {
            return $"cannot listen: {bound.Listener} on {Text(bound.EndPoint)}: {reason}";
        }

        var match = listeners.FirstOrDefault(l => exception.Message.Contains(AddressText(l.EndPoint), StringComparison.Ordinal));
        return match.Name is null
            ? $"cannot listen: {reason}"
            : $"cannot listen: {match.Name} on {Text(match.EndPoint)}: {reason}";
    }

    /// <summary>How the banner and the messages write an end point: 0.0.0.0:110, [::1]:110, unix:/path.</summary>
    public static string Text(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip => $"{(ip.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip.Address}]" : ip.Address.ToString())}:{ip.Port}",
        UnixDomainSocketEndPoint unix => $"unix:{unix}",
        null => "(not bound)",
        _ => endPoint.ToString() ?? "",
    };

    // What Kestrel's message shows after the scheme: "127.0.0.1:995", "[::1]:995", "unix:/path".
    private static string AddressText(EndPoint endPoint) => endPoint switch
    {
        IPEndPoint => "//" + Text(endPoint),
        _ => Text(endPoint),
    };

    private static string Reason(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return innermost switch
        {
            SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } => "address already in use",
            SocketException { SocketErrorCode: SocketError.AccessDenied } => "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)",
            SocketException { SocketErrorCode: SocketError.AddressNotAvailable } => "the address is not on this machine",
            _ => innermost.Message.TrimEnd('.').ToLowerInvariant(),
        };
    }
}
