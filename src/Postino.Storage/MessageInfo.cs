namespace Postino.Storage;

/// <summary>One message of a maildrop snapshot.</summary>
/// <param name="StorageId">The store's key (for Maildir: the base file name, without the <c>:2,</c> info).</param>
/// <param name="Uidl">Stable unique id, 1-70 characters in 0x21-0x7E; never changes for the life of the message.</param>
/// <param name="Size">Octets of the message as sent on the wire: CRLF line ends, a final CRLF added when missing,
/// before any dot-stuffing. This is what STAT/LIST report and what POP2 READ announces.</param>
/// <param name="ReceivedAt">When the store first saw the message (delivery time, or file time for foreign mail).</param>
/// <param name="FirstRetrievedAt">When the message was first retrieved whole in a session that ended with QUIT; null if never.</param>
public sealed record MessageInfo(
    string StorageId,
    string Uidl,
    long Size,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? FirstRetrievedAt);
