namespace Postino.Storage;

/// <summary>Limits of one mailbox; null, zero or negative means unlimited (as in Dovecot and Maildir++).</summary>
public sealed record MailboxQuota(long? MaxBytes, long? MaxMessages)
{
    private readonly long? _maxBytes = Normalize(MaxBytes);
    private readonly long? _maxMessages = Normalize(MaxMessages);

    public static MailboxQuota Unlimited { get; } = new(null, null);

    /// <summary>The most octets (as stored) the mailbox may hold; null when unlimited.</summary>
    public long? MaxBytes { get => _maxBytes; init => _maxBytes = Normalize(value); }

    /// <summary>The most messages the mailbox may hold; null when unlimited.</summary>
    public long? MaxMessages { get => _maxMessages; init => _maxMessages = Normalize(value); }

    public bool IsUnlimited => MaxBytes is null && MaxMessages is null;

    private static long? Normalize(long? limit) => limit > 0 ? limit : null;
}
