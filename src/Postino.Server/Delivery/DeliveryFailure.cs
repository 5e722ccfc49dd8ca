using Postino.Storage;

namespace Postino.Server.Delivery;

/// <summary>Why the store did not take a message.</summary>
public enum DeliveryFailureKind
{
    /// <summary>The user is over quota (452 4.2.2, exit 75): the sender keeps the message and retries.</summary>
    OverQuota,

    /// <summary>A failure that may pass (disk full, lock, I/O): 451 4.3.0, exit 75.</summary>
    Temporary,

    /// <summary>A failure that will not pass by waiting (permissions, a broken mailbox): 554 5.3.0, exit 73.</summary>
    Permanent,
}

/// <summary>Sorts the exceptions a store throws from DeliverAsync into what a sender should do about them.</summary>
public static class DeliveryFailure
{
    /// <summary>
    /// The classification, or null when the exception is not a delivery failure (a bug, which should propagate).
    /// </summary>
    public static DeliveryFailureKind? Classify(Exception exception) => exception switch
    {
        QuotaExceededException => DeliveryFailureKind.OverQuota,
        StorageException { IsTemporary: true } => DeliveryFailureKind.Temporary,
        StorageException => DeliveryFailureKind.Permanent,
        UnauthorizedAccessException => DeliveryFailureKind.Permanent,
        IOException => DeliveryFailureKind.Temporary,
        _ => null,
    };
}
