using Microsoft.AspNetCore.Connections;

namespace Postino.Server.Hosting;

/// <summary>Puts a <see cref="ConnectionAdmission"/> at the front of a listener's pipeline (the Postino host does it for every listener).</summary>
public static class ConnectionAdmissionExtensions
{
    /// <summary>
    /// Admission first; then, when <paramref name="tlsLayer"/> is given (implicit TLS), the handshake gate around the
    /// middleware it adds. Call before adding the connection handler.
    /// </summary>
    public static TBuilder UseConnectionAdmission<TBuilder>(this TBuilder listen, ConnectionAdmission admission, Action<IConnectionBuilder>? tlsLayer = null)
        where TBuilder : IConnectionBuilder
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(admission);
        listen.Use(next => connection => admission.AdmitAsync(connection, next));
        if (tlsLayer is not null)
        {
            listen.Use(next => connection => admission.BeginHandshakeAsync(connection, next));
            tlsLayer(listen);
            listen.Use(next => connection => ConnectionAdmission.EndHandshakeAsync(connection, next));
        }

        return listen;
    }
}
