using Postino.Fetch.Protocol;

namespace Postino.Fetch.Fetching;

/// <summary>The points of the store-then-delete sequence where tests inject crashes.</summary>
public enum FetchPoint
{
    /// <summary>A message is downloaded into the destination's pending area, nothing recorded yet.</summary>
    Downloaded,

    /// <summary>The message is recorded as pending in the state file, not yet committed at the destination.</summary>
    PendingRecorded,

    /// <summary>The message is committed at the destination, the state still says pending.</summary>
    Committed,

    /// <summary>The message is recorded as stored; DELE/ACKD not sent yet.</summary>
    StoredRecorded,

    /// <summary>Every DELE/ACKD of the run is sent; QUIT not sent yet.</summary>
    BeforeQuit,
}

/// <summary>How a <see cref="Fetcher"/> behaves, shared by all accounts.</summary>
public sealed record FetchOptions
{
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Protocol trace for <c>--verbose</c> (secrets redacted by the clients).</summary>
    public IProtocolTrace? Trace { get; init; }

    public IFetchProgress? Progress { get; init; }

    /// <summary>How long a server may stay silent before the connection is given up.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Waits before the retries of an <c>[IN-USE]</c>, <c>[SYS/TEMP]</c> or network failure; empty = no retry.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; init; } = [TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(60)];

    /// <summary>Called at each <see cref="FetchPoint"/>; tests throw from it to simulate a crash.</summary>
    public Func<FetchPoint, CancellationToken, Task>? FaultInjection { get; init; }
}
