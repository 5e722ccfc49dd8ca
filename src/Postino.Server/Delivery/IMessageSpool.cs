using Postino.Storage;

namespace Postino.Server.Delivery;

/// <summary>
/// Holds one incoming message while it streams in, so it is never in memory whole and can be handed to the store
/// once per recipient. Only complete messages are delivered: a spool that is disposed early leaves nothing behind.
/// </summary>
public interface IMessageSpool
{
    ValueTask<ISpooledMessage> CreateAsync(CancellationToken cancellationToken);
}

/// <summary>One spooled message: written once, then read any number of times.</summary>
public interface ISpooledMessage : IMessageSource, IAsyncDisposable
{
    /// <summary>Octets written so far.</summary>
    long Length { get; }

    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
