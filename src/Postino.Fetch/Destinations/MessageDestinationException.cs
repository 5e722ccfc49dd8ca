namespace Postino.Fetch.Destinations;

/// <summary>A destination refused or failed a delivery (a full disk, an MDA's non-zero exit, an LMTP 4xx/5xx).</summary>
public class MessageDestinationException : Exception
{
    public MessageDestinationException()
    {
    }

    public MessageDestinationException(string message)
        : base(message)
    {
    }

    public MessageDestinationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MessageDestinationException(string message, bool isTemporary)
        : base(message)
    {
        IsTemporary = isTemporary;
    }

    /// <summary>True when trying again later may work (LMTP 4xx, MDA exit 75 = EX_TEMPFAIL).</summary>
    public bool IsTemporary { get; }
}
