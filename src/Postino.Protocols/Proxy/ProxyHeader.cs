using System.Net;

namespace Postino.Protocols.Proxy;

/// <summary>What a PROXY protocol header says.</summary>
public enum ProxyCommand
{
    /// <summary>A relayed client: <see cref="ProxyHeader.Source"/> is the real client when the proxy knew it.</summary>
    Proxy,

    /// <summary>The proxy's own connection (v2 LOCAL, health checks): the socket's own addresses stand.</summary>
    Local,
}

/// <summary>
/// A parsed PROXY protocol header (v1 text or v2 binary). <see cref="Source"/> and <see cref="Destination"/> are null
/// when the proxy did not give TCP addresses (v1 UNKNOWN, v2 LOCAL, UNSPEC or UNIX): the socket's own addresses stand.
/// </summary>
public sealed record ProxyHeader(int Version, ProxyCommand Command, IPEndPoint? Source, IPEndPoint? Destination);

/// <summary>The state of parsing a header from the first bytes of a connection.</summary>
public enum ProxyParseStatus
{
    /// <summary>Nothing wrong so far, but the header is not complete: read more.</summary>
    Incomplete,

    /// <summary>A whole, valid header.</summary>
    Complete,

    /// <summary>Not a PROXY header, or a malformed one: refuse the connection.</summary>
    Invalid,
}
