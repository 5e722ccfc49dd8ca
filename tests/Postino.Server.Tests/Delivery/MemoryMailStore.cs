using System.Collections.Concurrent;
using Postino.Storage;

namespace Postino.Server.Tests.Delivery;

/// <summary>An in-memory store for delivery tests: records what was delivered, fails on demand per user.</summary>
internal sealed class MemoryMailStore : IMailStore
{
    public ConcurrentQueue<(string User, byte[] Message)> Deliveries { get; } = new();

    /// <summary>User name -> the exception DeliverAsync throws for that user (after reading the stream).</summary>
    public Dictionary<string, Func<Exception>> Failures { get; } = new()
    {
        ["full"] = () => new QuotaExceededException("full", "bytes"),
        ["broken"] = () => new StorageException("disk on fire"),
        ["perm"] = () => new StorageException("mailbox is a file") { IsTemporary = false },
    };

    public ValueTask<IMaildrop> OpenAsync(string user, string? folder, CancellationToken cancellationToken) =>
        throw new NotSupportedException("delivery tests never open a maildrop");

    public async ValueTask<DeliveryResult> DeliverAsync(string user, Stream message, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        await message.CopyToAsync(copy, cancellationToken);
        if (Failures.TryGetValue(user, out var failure))
        {
            throw failure();
        }

        Deliveries.Enqueue((user, copy.ToArray()));
        return new DeliveryResult($"m{Deliveries.Count}", $"u{Deliveries.Count}", copy.Length);
    }
}
