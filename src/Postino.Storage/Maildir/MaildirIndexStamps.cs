namespace Postino.Storage.Maildir;

/// <summary>
/// The stamps of <c>new/</c> and <c>cur/</c> taken just before the scan an index was written from, and the time of that
/// scan. The classic Maildir rule: a directory whose stamp is unchanged has the entries the index lists, provided the
/// stamp was already older than the scan by a safe margin. A change made in the same clock tick as the one before it
/// can leave the time as it was; a stamp that old when read cannot be repeated by any later change.
/// </summary>
internal readonly record struct MaildirIndexStamps(DirectoryStamp New, DirectoryStamp Cur, long ScannedAtNanoseconds)
{
    /// <summary>Far more than a file system's time granularity (a clock tick, or a second on old ones) and clock steps.</summary>
    public const long MarginNanoseconds = 2_000_000_000;

    public static MaildirIndexStamps None => default;

    /// <summary>The real clock (file times come from it), in nanoseconds since the Unix epoch.</summary>
    public static long Now() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

    /// <summary>True when <paramref name="current"/> proves the directory unchanged since it was <paramref name="recorded"/>.</summary>
    public bool Trusts(DirectoryStamp current, DirectoryStamp recorded) =>
        recorded.IsKnown && current == recorded && IsSettled(recorded, ScannedAtNanoseconds);

    /// <summary>True when a stamp read at <paramref name="readAt"/> was old enough to be trusted later.</summary>
    public static bool IsSettled(DirectoryStamp stamp, long readAt) =>
        stamp.IsKnown && stamp.ModifiedNanoseconds <= readAt - MarginNanoseconds;
}
