using System.Collections.Concurrent;
using Postino.Storage;

namespace Postino.Server.Tests.Delivery;

/// <summary>An in-memory store for delivery tests: records what was delivered, fails on demand per user.</summary>
internal sealed class MemoryMailStore : IMailStore
{
    private readonly SemaphoreSlim _delivered = new(0);

    public ConcurrentQueue<(string User, byte[] Message)> Deliveries { get; } = new();

    /// <summary>Waits until <paramref name="count"/> more deliveries happened; false on timeout.</summary>
    public async Task<bool> WaitForDeliveriesAsync(int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            for (var i = 0; i < count; i++)
            {
                await _delivered.WaitAsync(deadline.Token);
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

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
        _delivered.Release();
        return new DeliveryResult($"m{Deliveries.Count}", $"u{Deliveries.Count}", copy.Length);
    }
}
