using System.Net;
using Microsoft.AspNetCore.Http.Features;

namespace Postino.Server.Hosting;

/// <summary>What a session knows about its connection.</summary>
/// <param name="ListenerName">The listener that accepted it ("pop3", "pop3s", ...).</param>
/// <param name="RemoteEndPoint">The client (null or a Unix socket end point for Unix sockets).</param>
/// <param name="LocalEndPoint">Our end.</param>
/// <param name="IsSecure">True when TLS is active from the start (implicit TLS listeners).</param>
/// <param name="Features">Kestrel's connection features (TLS handshake details, lifetime); null in tests.</param>
public sealed record ClientConnection(
    string ListenerName,
    EndPoint? RemoteEndPoint,
    EndPoint? LocalEndPoint,
    bool IsSecure = false,
    IFeatureCollection? Features = null)
{
    /// <summary>The client's address for penalties and logs; a Unix socket client counts as loopback.</summary>
    public IPAddress RemoteAddress => RemoteEndPoint is IPEndPoint ip ? ip.Address : IPAddress.Loopback;

    /// <summary>How logs name the client.</summary>
    public string RemoteDisplay => RemoteEndPoint?.ToString() ?? "local";
}
