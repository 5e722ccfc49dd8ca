using Microsoft.AspNetCore.Connections;
using Postino.Server.Hosting;

namespace Postino.Server.Pop3;

/// <summary>
/// The stateless handler of a POP3 listener: one session per connection. It starts on the thread that accepted the
/// connection: the session writes its greeting and waits for input, and moves what may block to the pool itself.
/// </summary>
public sealed class Pop3ConnectionHandler(Pop3SessionFactory sessions) : ConnectionHandler, IStartsOnEventThread
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var session = sessions.Create(ClientConnectionFactory.From(connection));

        // After STLS the session's kernel closes the TLS layer (close_notify) itself, before this returns.
        await session.RunAsync(connection.Transport, CancellationToken.None);
    }
}
