using Microsoft.AspNetCore.Connections;
using Postino.Server.Tls;

namespace Postino.Server.Hosting;

/// <summary>Describes a Kestrel connection for a session.</summary>
public static class ClientConnectionFactory
{
    public static ClientConnection From(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var listener = connection.Features.Get<IPostinoListenerFeature>()?.Listener;
        var secure = listener?.Tls == ListenerTls.Implicit || connection.Features.Get<TlsConnectionInfo>() is not null;
        return new ClientConnection(
            listener?.Name ?? "unknown",
            connection.RemoteEndPoint,
            connection.LocalEndPoint,
            secure,
            connection.Features);
    }
}
