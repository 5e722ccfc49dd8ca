namespace Postino.Storage.Maildir;

/// <summary>What the index remembers of one message, keyed by its Maildir base name.</summary>
internal sealed record MaildirIndexEntry(
    string BaseName,
    string Uidl,
    long Size,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? FirstRetrievedAt);
