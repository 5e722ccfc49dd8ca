namespace Postino.Server.Hosting.Sockets;

/// <summary>Bounds of one connection's buffers, and the listen backlog.</summary>
public sealed record SocketConnectionOptions
{
    /// <summary>Input received and not yet read by the session before the socket is no longer read (1 MiB, as Kestrel).</summary>
    public int MaxReadBufferSize { get; init; } = 1024 * 1024;

    /// <summary>Output written and not yet sent before the session's flushes wait (64 KiB, as Kestrel).</summary>
    public int MaxWriteBufferSize { get; init; } = 64 * 1024;

    /// <summary>Connections the kernel completes and holds for accept.</summary>
    public int Backlog { get; init; } = 512;
}
