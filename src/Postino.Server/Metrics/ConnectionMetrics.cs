using Microsoft.AspNetCore.Connections;

namespace Postino.Server.Metrics;

/// <summary>
/// Counts a listener's connections around its admission middleware: <see cref="UseConnectionCounting"/> goes before
/// admission (the connection cap), <see cref="UseAdmittedMark"/> after it. A connection that never reaches the mark
/// was refused (reason "cap"). Other refusals (penalty, shutdown) call <see cref="PostinoMetrics.ConnectionRefused"/>.
/// </summary>
public static class ConnectionMetrics
{
    private const string AdmittedKey = "postino.metrics.admitted";

    public static IConnectionBuilder UseConnectionCounting(this IConnectionBuilder builder, PostinoMetrics metrics, string protocol, bool tls)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(next => async connection =>
        {
            try
            {
                await next(connection);
            }
            finally
            {
                if (connection.Items.TryGetValue(AdmittedKey, out var admitted) && admitted is true)
                {
                    metrics.ConnectionClosed(protocol, tls);
                }
                else
                {
                    metrics.ConnectionRefused(protocol, tls, "cap");
                }
            }
        });
    }

    public static IConnectionBuilder UseAdmittedMark(this IConnectionBuilder builder, PostinoMetrics metrics, string protocol, bool tls)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(next => connection =>
        {
            connection.Items[AdmittedKey] = true;
            metrics.ConnectionAccepted(protocol, tls);
            return next(connection);
        });
    }
}
