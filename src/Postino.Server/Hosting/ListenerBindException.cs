using System.Net;

namespace Postino.Server.Hosting;

/// <summary>A listener's end point could not be bound (in use, no permission, not an address of this machine).</summary>
public sealed class ListenerBindException(string listener, EndPoint endPoint, Exception inner)
    : IOException($"{listener}: cannot bind {endPoint}: {inner.Message}", inner)
{
    public string Listener { get; } = listener;

    public EndPoint EndPoint { get; } = endPoint;
}
