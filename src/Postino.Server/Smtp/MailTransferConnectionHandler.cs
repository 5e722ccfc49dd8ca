using Microsoft.AspNetCore.Connections;
using Postino.Server.Hosting;

namespace Postino.Server.Smtp;

/// <summary>
/// The Kestrel side of an SMTP or LMTP listener: a stateless handler that runs one <see cref="MailTransferSession"/>
/// per connection. Connection caps are the listener's admission (<see cref="ConnectionAdmission"/>), which ran before,
/// and each listener has its own, so a busy MTA on LMTP never takes places from POP3 users.
/// </summary>
public abstract class MailTransferConnectionHandler(
    MailTransferDialect dialect,
    MailTransferOptions options,
    MailTransferContext context) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        try
        {
            var session = new MailTransferSession(dialect, options, context, connection.Transport, connection.RemoteEndPoint);
            await session.RunAsync(connection.ConnectionClosed);
        }
        finally
        {
            connection.Features.Get<IConnectionAdmissionFeature>()?.Release();
        }
    }
}
