using Postino.Server.Hosting;

namespace Postino.Server.Pop3;

/// <summary>Makes one <see cref="Pop3Session"/> per connection.</summary>
public sealed class Pop3SessionFactory(Pop3SessionServices services)
{
    public Pop3Session Create(ClientConnection connection) => new(services, connection);
}
