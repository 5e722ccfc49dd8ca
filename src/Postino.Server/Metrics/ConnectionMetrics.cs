using Microsoft.AspNetCore.Connections;

namespace Postino.Server.Metrics;

/// <summary>
/// Counts a listener's admitted connections: <see cref="UseAdmittedMark"/> goes after admission (and after the TLS
/// handshake on implicit-TLS listeners). Refusals are counted where admission records them
/// (<see cref="Hosting.ConnectionRefusalLog"/>).
/// </summary>
public static class ConnectionMetrics
{
    public static IConnectionBuilder UseAdmittedMark(this IConnectionBuilder builder, PostinoMetrics metrics, string protocol, bool tls)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(metrics);
        return builder.Use(next => async connection =>
        {
            metrics.ConnectionAccepted(protocol, tls);
            try
            {
                await next(connection);
            }
            finally
            {
                metrics.ConnectionClosed(protocol, tls);
            }
        });
    }
}
