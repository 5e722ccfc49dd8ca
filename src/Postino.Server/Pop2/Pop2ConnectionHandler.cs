using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Postino.Protocols.Pop2;
using Postino.Server.Auth;
using Postino.Server.Hosting;
using Postino.Server.Security;
using Postino.Server.Sessions;
using Postino.Storage;

namespace Postino.Server.Pop2;

/// <summary>
/// Kestrel connection handler for a POP2 listener: admits the connection through the connection caps shared with
/// POP3 (when a <see cref="ConnectionLimiter"/> is registered) and runs one <see cref="Pop2Session"/> on it.
/// </summary>
public sealed class Pop2ConnectionHandler(
    IMailStore store,
    IPasswordAuthenticator authenticator,
    Pop2Options options,
    TimeProvider time,
    ILogger<Pop2Session> logger,
    ConnectionLimiter? limiter = null,
    PostinoServerOptions? server = null,
    SessionLimits? limits = null,
    IHostApplicationLifetime? lifetime = null) : ConnectionHandler
{
    private readonly Pop2Services _services = new(
        store, authenticator, options, time, logger, server?.HostName, limits, lifetime?.ApplicationStopping ?? default);

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.Loopback;
        if (limiter is not null && !limiter.TryAcquire(address, out _))
        {
            Pop2ReplyWriter.Failure(connection.Transport.Output, "Too many connections, try again later");
            await connection.Transport.Output.FlushAsync(connection.ConnectionClosed);
            await connection.Transport.Output.CompleteAsync();
            return;
        }

        try
        {
            var session = new Pop2Session(connection.Transport, connection.RemoteEndPoint, _services);
            await session.RunAsync(connection.ConnectionClosed);
        }
        finally
        {
            // Free the slot before the client can see the close, so it may reconnect at once.
            limiter?.Release(address);
            await connection.Transport.Output.CompleteAsync();
        }
    }
}
