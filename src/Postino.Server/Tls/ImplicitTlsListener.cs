using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Postino.Server.Tls;

/// <summary>
/// Implicit TLS (POP3S, port 995) on a listener: the same server handshake as STLS
/// (<see cref="StartTls.UpgradeAsync"/>: an SslStream straight over the connection's transport, options from
/// <see cref="TlsServerSettings"/> so a reloaded certificate is used by the next handshake), then the handler reads and
/// writes the <see cref="TlsConnection"/>'s pipes as the connection's transport. Not Kestrel's HTTPS middleware: that
/// one adds its own pipe adapters, features, metrics and options callback to every connection, and one TLS layer
/// serves both kinds of listener. The handler finds the handshake's result with <see cref="GetTlsInfo"/>.
/// </summary>
public static class ImplicitTlsListener
{
    /// <summary>Adds TLS in front of whatever handler is added to <paramref name="listenOptions"/> next.</summary>
    public static TBuilder UseImplicitTls<TBuilder>(this TBuilder listenOptions, TlsServerSettings settings)
        where TBuilder : IConnectionBuilder
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(settings);
        listenOptions.Use(next => connection => RunAsync(connection, next, settings));
        return listenOptions;
    }

    /// <summary>The handshake's protocol, cipher and channel binding, or null when the connection is not TLS.</summary>
    public static TlsConnectionInfo? GetTlsInfo(this ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.Features.GetTlsInfo();
    }

    /// <inheritdoc cref="GetTlsInfo(ConnectionContext)"/>
    public static TlsConnectionInfo? GetTlsInfo(this IFeatureCollection features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return features.Get<TlsConnectionInfo>();
    }

    private static async Task RunAsync(ConnectionContext connection, ConnectionDelegate next, TlsServerSettings settings)
    {
        TlsConnection tls;
        try
        {
            tls = await StartTls.UpgradeAsync(connection.Transport, settings, connection.ConnectionClosed, serverSpeaksFirst: true);
        }
        catch (TlsHandshakeFailedException)
        {
            // Nothing to answer on a connection that never spoke TLS (a plaintext client gets no greeting); the
            // admission layer counts it, and Kestrel closes the socket when this returns.
            return;
        }
        catch (OperationCanceledException) when (connection.ConnectionClosed.IsCancellationRequested)
        {
            return;
        }

        var plaintext = connection.Transport;
        await using (tls)
        {
            connection.Transport = tls;
            connection.Features.Set(tls.Info);
            connection.Features.Set<ISslStreamFeature>(tls);
            try
            {
                await next(connection);
            }
            finally
            {
                connection.Transport = plaintext;
            }
        }
    }
}
