using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Postino.Server.Tls;

/// <summary>
/// Implicit TLS (POP3S, port 995) on a Kestrel listener: Kestrel's own TLS middleware, which works for any
/// connection handler, fed per connection from <see cref="TlsServerSettings"/> so a reloaded certificate is used by
/// the next handshake. The handler finds the result with <see cref="GetTlsInfo"/>.
/// </summary>
public static class ImplicitTlsListener
{
    /// <summary>Adds TLS in front of whatever handler is added to <paramref name="listenOptions"/> next.</summary>
    public static ListenOptions UseImplicitTls(this ListenOptions listenOptions, TlsServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(settings);
        listenOptions.UseHttps(new TlsHandshakeCallbackOptions
        {
            HandshakeTimeout = settings.Options.HandshakeTimeout,
            OnConnection = context =>
            {
                var created = settings.CreateAuthenticationOptions()
                    ?? throw new InvalidOperationException("The implicit-TLS listener has no certificate.");
                context.Connection.Features.Set(new ChannelBindingFeature(created.Certificate.TlsServerEndPoint));
                return ValueTask.FromResult(created.Options);
            },
        });

        // After the handshake, before the handler's first read or write: OpenSSL frees the record buffers when idle.
        listenOptions.Use(next => connection =>
        {
            OpenSslIdleBuffers.Release(connection.Features.Get<ISslStreamFeature>()?.SslStream);
            return next(connection);
        });
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
        var handshake = features.Get<ITlsHandshakeFeature>();
        if (handshake is null)
        {
            return null;
        }

        var binding = features.Get<ChannelBindingFeature>();
        return new TlsConnectionInfo(handshake.Protocol, handshake.NegotiatedCipherSuite ?? default, binding?.TlsServerEndPoint);
    }

    private sealed record ChannelBindingFeature(byte[]? TlsServerEndPoint);
}
