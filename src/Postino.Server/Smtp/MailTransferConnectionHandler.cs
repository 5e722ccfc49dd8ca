using System.Net;
using Microsoft.AspNetCore.Connections;
using Postino.Server.Security;

namespace Postino.Server.Smtp;

/// <summary>
/// The Kestrel side of an SMTP or LMTP listener: a stateless handler that limits connections per address and runs
/// one <see cref="MailTransferSession"/> per connection. Each listener kind counts its own connections, so a busy MTA
/// on LMTP never takes places from POP3 users.
/// </summary>
public abstract class MailTransferConnectionHandler(
    MailTransferDialect dialect,
    MailTransferOptions options,
    MailTransferContext context) : ConnectionHandler
{
    private readonly ConnectionLimiter _limiter = new(new ConnectionLimitOptions
    {
        PerAddress = options.MaxConnectionsPerAddress,
        Total = options.MaxConnections,
    });

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (address is not null && !_limiter.TryAcquire(address, out _))
        {
            Replies.TooManyConnections.WriteTo(connection.Transport.Output);
            await connection.Transport.Output.FlushAsync(connection.ConnectionClosed);
            return;
        }

        try
        {
            var session = new MailTransferSession(dialect, options, context, connection.Transport, connection.RemoteEndPoint);
            await session.RunAsync(connection.ConnectionClosed);
        }
        finally
        {
            if (address is not null)
            {
                _limiter.Release(address);
            }
        }
    }
}
