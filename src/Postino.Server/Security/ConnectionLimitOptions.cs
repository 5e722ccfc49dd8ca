namespace Postino.Server.Security;

/// <summary>Caps on concurrent connections, for one listener's <see cref="ConnectionLimiter"/>.</summary>
public sealed class ConnectionLimitOptions
{
    /// <summary>Concurrent connections from one address (IPv6: one /64).</summary>
    public int PerAddress { get; init; } = 20;

    /// <summary>Concurrent connections in total.</summary>
    public int Total { get; init; } = 1000;
}
