using System.Diagnostics;
using Postino.Storage;

namespace Postino.Server.Metrics;

/// <summary>
/// Wraps the mail store to time its operations and count lock conflicts, so that no store and no session needs to
/// know about metrics.
/// </summary>
public sealed class MeasuredMailStore(IMailStore inner, PostinoMetrics metrics) : IMailStore
{
    public async ValueTask<IMaildrop> OpenAsync(string user, string? folder, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await inner.OpenAsync(user, folder, cancellationToken);
        }
        catch (MailboxInUseException)
        {
            metrics.LockConflict();
            throw;
        }
        finally
        {
            metrics.StoreOperation("open", Stopwatch.GetElapsedTime(started));
        }
    }

    public async ValueTask<DeliveryResult> DeliverAsync(string user, Stream message, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await inner.DeliverAsync(user, message, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.StoreOperation("deliver", elapsed);
        metrics.DeliveryStored(elapsed);
        return result;
    }

    public async ValueTask<IReadOnlyList<RecipientDelivery>> DeliverAsync(
        IReadOnlyList<string> users, IMessageSource message, CancellationToken cancellationToken)
    {
        // Forwarded as one call so that a transactional store keeps every recipient in its one transaction.
        var started = Stopwatch.GetTimestamp();
        var outcomes = await inner.DeliverAsync(users, message, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.StoreOperation("deliver", elapsed);
        foreach (var _ in outcomes.Where(o => o.Delivered))
        {
            metrics.DeliveryStored(elapsed);
        }

        return outcomes;
    }
}
