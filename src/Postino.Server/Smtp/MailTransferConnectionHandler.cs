using Microsoft.AspNetCore.Connections;
using Postino.Server.Delivery;

namespace Postino.Server.Smtp;

/// <summary>
/// The Kestrel side of an SMTP or LMTP listener: a stateless handler that limits connections per address and runs
/// one <see cref="MailTransferSession"/> per connection.
/// </summary>
public abstract class MailTransferConnectionHandler(
    MailTransferDialect dialect,
    MailTransferOptions options,
    MailTransferContext context) : ConnectionHandler
{
    private readonly RemoteAddressLimiter _limiter = new(options.MaxConnectionsPerAddress);

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        using var lease = _limiter.TryAcquire(connection.RemoteEndPoint);
        if (lease is null)
        {
            Replies.TooManyConnections.WriteTo(connection.Transport.Output);
            await connection.Transport.Output.FlushAsync(connection.ConnectionClosed);
            return;
        }

        var session = new MailTransferSession(dialect, options, context, connection.Transport, connection.RemoteEndPoint);
        await session.RunAsync(connection.ConnectionClosed);
    }
}
