namespace Postino.Fetch.Destinations;

/// <summary>
/// Where fetched mail goes. A delivery is two-phase so the fetcher can record it as pending before it becomes visible:
/// write the content, <see cref="IPendingDelivery.PrepareAsync"/> (returns a marker), record the marker, then
/// <see cref="IPendingDelivery.CommitAsync"/>, which returns only once the message is durable.
/// </summary>
public interface IMessageDestination
{
    /// <summary>For messages and the summary, e.g. <c>maildir:/home/u/Mail</c>.</summary>
    string Description { get; }

    /// <summary>Starts one delivery.</summary>
    Task<IPendingDelivery> BeginAsync(CancellationToken cancellationToken);

    /// <summary>
    /// After a crash between "pending" and "stored": true if the delivery with <paramref name="marker"/> completed,
    /// false if it did not, null if this destination cannot tell (then the message is delivered again).
    /// </summary>
    Task<bool?> WasDeliveredAsync(string marker, CancellationToken cancellationToken);
}

/// <summary>One message on its way into a destination. Disposing it without commit throws it away.</summary>
public interface IPendingDelivery : IAsyncDisposable
{
    /// <summary>Write the message here in wire form (CR LF line ends, already dot-unstuffed).</summary>
    Stream Content { get; }

    /// <summary>Ends the content and readies the commit; returns a marker for <see cref="IMessageDestination.WasDeliveredAsync"/>, or null.</summary>
    Task<string?> PrepareAsync(CancellationToken cancellationToken);

    /// <summary>Makes the message visible at the destination, durably.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
