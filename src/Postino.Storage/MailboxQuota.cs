namespace Postino.Storage;

/// <summary>Limits of one mailbox; null means unlimited.</summary>
public sealed record MailboxQuota(long? MaxBytes, long? MaxMessages)
{
    public static MailboxQuota Unlimited { get; } = new(null, null);

    public bool IsUnlimited => MaxBytes is null && MaxMessages is null;
}
