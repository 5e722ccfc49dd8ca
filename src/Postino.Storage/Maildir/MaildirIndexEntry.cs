namespace Postino.Storage.Maildir;

/// <summary>
/// What the index remembers of one message, keyed by its Maildir base name. <see cref="FileName"/> is its name in
/// <c>cur/</c> when the index was written (flags included), which lets a login that trusts the index skip listing
/// <c>cur/</c>; null when not known (then the index is not trusted without a listing).
/// </summary>
internal sealed record MaildirIndexEntry(
    string BaseName,
    string Uidl,
    long Size,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? FirstRetrievedAt,
    string? FileName = null);
