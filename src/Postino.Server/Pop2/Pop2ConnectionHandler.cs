using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Postino.Server.Auth;
using Postino.Server.Hosting;
using Postino.Server.Sessions;
using Postino.Server.Tls;
using Postino.Storage;

namespace Postino.Server.Pop2;

/// <summary>
/// Kestrel connection handler for a POP2 listener: runs one <see cref="Pop2Session"/> per connection. Connection caps
/// are the listener's admission (<see cref="ConnectionAdmission"/>), which ran before.
/// </summary>
public sealed class Pop2ConnectionHandler(
    IMailStore store,
    IPasswordAuthenticator authenticator,
    Pop2Options options,
    TimeProvider time,
    ILogger<Pop2Session> logger,
    PostinoServerOptions? server = null,
    SessionLimits? limits = null,
    IHostApplicationLifetime? lifetime = null,
    PlaintextAuthPolicy? plaintext = null) : ConnectionHandler
{
    private readonly Pop2Services _services = new(
        store, authenticator, options, time, logger, server?.HostName, limits, lifetime?.ApplicationStopping ?? default, plaintext);

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            var session = new Pop2Session(connection.Transport, connection.RemoteEndPoint, _services);
            await session.RunAsync(connection.ConnectionClosed);
        }
        finally
        {
            // Free the slot before the client can see the close, so it may reconnect at once.
            connection.Features.Get<IConnectionAdmissionFeature>()?.Release();
            await connection.Transport.Output.CompleteAsync();
        }
    }
}
