namespace Postino.Fetch.State;

/// <summary>Where a message is in the store-then-delete sequence.</summary>
public enum FetchEntryStatus
{
    /// <summary>Downloaded and about to be committed at the destination; after a crash, ask the destination.</summary>
    Pending,

    /// <summary>Durable at the destination; may be deleted from the server.</summary>
    Stored,
}

/// <summary>One message of one account that this fetcher has downloaded.</summary>
public sealed class FetchStateEntry
{
    /// <summary>The server's UIDL, or for servers without UIDL (POP2) <c>sha256:HASH#N</c>, N counting identical copies.</summary>
    public required string Key { get; init; }

    /// <summary>SHA-256 (hex) of the message as received (CR LF line ends, unstuffed).</summary>
    public required string Sha256 { get; set; }

    public long Size { get; set; }

    /// <summary>When it was first downloaded: what <c>--keep-days</c> counts from.</summary>
    public DateTimeOffset FirstDownloaded { get; init; }

    public FetchEntryStatus Status { get; set; }

    /// <summary>The destination's marker for a pending delivery (see <c>IMessageDestination.WasDeliveredAsync</c>).</summary>
    public string? Marker { get; set; }
}
