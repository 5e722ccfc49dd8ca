using System.Net.Sockets;

namespace Postino.Testing;

/// <summary>What a client socket can tell without reading: whether the server closed it.</summary>
public static class SocketState
{
    /// <summary>
    /// True when the peer has closed (or reset) the connection with nothing left to read: the socket polls readable
    /// and holds no octet.
    /// </summary>
    public static bool IsClosedByPeer(this Socket socket) => socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0;
}
