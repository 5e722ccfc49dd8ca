namespace Postino.Storage.Retention;

/// <summary>
/// What a retention policy means for the messages of one mailbox: how long a message stays after its first whole
/// retrieval (null: until the client deletes it; zero: <c>delete-on-retrieve</c>), and how long any message may stay at
/// all (<c>max-age-days</c>, null: no limit).
/// </summary>
public sealed record RetentionRule(int? DaysAfterRetrieval, int? MaxAgeDays)
{
    /// <summary><c>client</c> without a maximum age: only what the client deletes goes.</summary>
    public static RetentionRule ClientDecides { get; } = new(null, null);

    /// <summary>True when the sweeper can ever remove anything under this rule.</summary>
    public bool Expires => DaysAfterRetrieval is not null || MaxAgeDays is not null;

    /// <summary>
    /// The number of days after which a retrieved message may be gone, or null when the server never deletes retrieved
    /// mail by itself (a maximum age can remove a retrieved message sooner than its keep-days: the smaller counts).
    /// </summary>
    public int? DaysRetrievedMailMayStay => (DaysAfterRetrieval, MaxAgeDays) switch
    {
        (null, null) => null,
        ({ } retrieval, null) => retrieval,
        (null, { } age) => age,
        ({ } retrieval, { } age) => Math.Min(retrieval, age),
    };

    /// <summary>Why <paramref name="message"/> has expired at <paramref name="now"/>, or null when it stays.</summary>
    public string? ExpiryReason(MessageInfo message, DateTimeOffset now)
    {
        if (MaxAgeDays is { } maxAge && now - message.ReceivedAt >= TimeSpan.FromDays(maxAge))
        {
            return $"older than max-age-days:{maxAge}";
        }

        if (DaysAfterRetrieval is { } days && message.FirstRetrievedAt is { } retrieved && now - retrieved >= TimeSpan.FromDays(days))
        {
            return days == 0 ? "retrieved (delete-on-retrieve)" : $"retrieved more than keep-days:{days} ago";
        }

        return null;
    }
}
