using Microsoft.AspNetCore.Connections;
using Postino.Server.Hosting;
using Postino.Server.Tls;

namespace Postino.Server.Pop3;

/// <summary>The stateless Kestrel handler of a POP3 listener: one session per connection.</summary>
public sealed class Pop3ConnectionHandler(Pop3SessionFactory sessions) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var session = sessions.Create(ClientConnectionFactory.From(connection));
        await session.RunAsync(connection.Transport, CancellationToken.None);

        // After STLS the session spoke through a TLS layer over Kestrel's transport: close it (close_notify) first.
        if (session.Features.Get<TlsConnection>() is { } tls)
        {
            await tls.DisposeAsync();
        }
    }
}
