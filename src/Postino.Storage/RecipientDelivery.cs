namespace Postino.Storage;

/// <summary>
/// One recipient's outcome of a delivery to several: the stored message, or the exception that refused it (what
/// <see cref="IMailStore.DeliverAsync(string, Stream, CancellationToken)"/> would have thrown for that user alone).
/// </summary>
public sealed record RecipientDelivery(string User, DeliveryResult? Result, Exception? Failure)
{
    public bool Delivered => Result is not null;

    /// <summary>Delivers to each user in turn, each copy durable before the next starts (stores without transactions).</summary>
    public static async ValueTask<IReadOnlyList<RecipientDelivery>> OneByOneAsync(
        IMailStore store, IReadOnlyList<string> users, IMessageSource message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(message);
        var outcomes = new List<RecipientDelivery>(users.Count);
        foreach (var user in users)
        {
            try
            {
                await using var stream = await message.OpenReadAsync(cancellationToken);
                outcomes.Add(new RecipientDelivery(user, await store.DeliverAsync(user, stream, cancellationToken), null));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                outcomes.Add(new RecipientDelivery(user, null, exception));
            }
        }

        return outcomes;
    }
}
