using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Postino.Server.Security;

namespace Postino.Server.Hosting;

/// <summary>
/// Applies the shared <see cref="ConnectionLimiter"/> to a listener before its protocol handler runs: over a cap the
/// client gets the protocol's temporary-refusal line (POP3 <c>-ERR [SYS/TEMP] ...</c>, POP2 <c>- ...</c>, SMTP
/// <c>421 4.7.0 ...</c>) and is closed. One place for every protocol, so no handler can forget it.
/// </summary>
public static class ConnectionCap
{
    /// <summary>The refusal line of each protocol, by listener kind.</summary>
    public static string RefusalFor(string protocol) => protocol switch
    {
        "pop2" => "- Too many connections, try again later",
        "lmtp" or "smtp" => "421 4.7.0 Too many connections, try again later",
        _ => "-ERR [SYS/TEMP] Too many connections, try again later",
    };

    public static IConnectionBuilder UseConnectionCap(this IConnectionBuilder builder, ConnectionLimiter limiter, string refusalLine)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(limiter);
        var refusal = Encoding.ASCII.GetBytes(refusalLine + "\r\n");
        return builder.Use(next => async connection =>
        {
            // Unix sockets have no remote address: they are local and share one count.
            var remote = (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.Loopback;
            if (!limiter.TryAcquire(remote, out _))
            {
                await connection.Transport.Output.WriteAsync(refusal, connection.ConnectionClosed);
                await connection.Transport.Output.CompleteAsync();
                return;
            }

            try
            {
                await next(connection);
            }
            finally
            {
                limiter.Release(remote);
            }
        });
    }
}
