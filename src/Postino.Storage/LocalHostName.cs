using System.Net;

namespace Postino.Storage;

/// <summary>
/// The machine's name as Postino uses it when nothing is configured: in greetings, Received headers, LHLO and new
/// Maildir file names. One rule, so the server, the store and the fetch client never disagree.
/// </summary>
public static class LocalHostName
{
    /// <summary>The DNS host name, lower-cased (names are case-insensitive; file names and logs then match).</summary>
    public static string Default { get; } = Dns.GetHostName().ToLowerInvariant();
}
