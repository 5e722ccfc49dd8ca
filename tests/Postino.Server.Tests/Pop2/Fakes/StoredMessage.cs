namespace Postino.Server.Tests.Pop2.Fakes;

/// <summary>A message held by <see cref="InMemoryMailStore"/>.</summary>
public sealed class StoredMessage(string storageId, byte[] bytes, long size, DateTimeOffset receivedAt)
{
    public string StorageId { get; } = storageId;

    public byte[] Bytes { get; } = bytes;

    /// <summary>The wire size the store reports (tests may make it lie).</summary>
    public long Size { get; set; } = size;

    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    public DateTimeOffset? FirstRetrievedAt { get; set; }
}
