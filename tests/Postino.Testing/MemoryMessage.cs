namespace Postino.Testing;

/// <summary>A message held by <see cref="MemoryMailStore"/>.</summary>
public sealed class MemoryMessage(string storageId, string uidl, byte[] bytes, long size, DateTimeOffset receivedAt)
{
    public string StorageId { get; } = storageId;

    public string Uidl { get; } = uidl;

    /// <summary>The octets as stored (LF or CRLF line ends, as given).</summary>
    public byte[] Bytes { get; } = bytes;

    /// <summary>The wire size the store reports (tests may make it lie).</summary>
    public long Size { get; set; } = size;

    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    public DateTimeOffset? FirstRetrievedAt { get; set; }

    /// <summary>Opens the content; a test can replace it to stream generated or failing content.</summary>
    public Func<Stream>? Open { get; set; }
}
