using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Postino.Server.Hosting.Sockets;

/// <summary>Postino's socket transport for <see cref="ListenerHost"/>: TCP and Unix-domain listeners.</summary>
public sealed class SocketTransport(SocketConnectionOptions options, ILogger<SocketTransport> logger) : IConnectionListenerFactory
{
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IConnectionListener>(SocketListener.Bind(endpoint, options, logger));
    }
}
