using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Postino.Server.Auth;
using Postino.Storage;

namespace Postino.Server.Pop2;

/// <summary>Kestrel connection handler for a POP2 listener: one <see cref="Pop2Session"/> per connection.</summary>
public sealed class Pop2ConnectionHandler(
    IMailStore store,
    IPasswordAuthenticator authenticator,
    IOptions<Pop2Options> options,
    TimeProvider time,
    ILogger<Pop2Session> logger) : ConnectionHandler
{
    private readonly Pop2Services _services = new(store, authenticator, options.Value, time, logger);

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var session = new Pop2Session(connection.Transport, connection.RemoteEndPoint, _services);
        await session.RunAsync(connection.ConnectionClosed);
    }
}
