namespace Postino.Storage;

/// <summary>What a durable delivery stored.</summary>
public sealed record DeliveryResult(string StorageId, string Uidl, long Size);
