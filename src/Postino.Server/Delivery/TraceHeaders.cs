using System.Globalization;
using System.Text;

namespace Postino.Server.Delivery;

/// <summary>
/// Formats the Return-Path and Received header fields a delivering server puts on top of a message. Every value goes
/// through <see cref="HeaderText.Safe"/>: whatever a caller failed to refuse, no CR, LF or NUL reaches the message.
/// </summary>
public static class TraceHeaders
{
    public static string ReturnPath(string reversePath) => $"Return-Path: {HeaderText.Safe(reversePath)}\r\n";

    /// <param name="protocol">The RFC 3848 / RFC 6531 "with" keyword: SMTP, ESMTP, ESMTPS, LMTP, UTF8SMTP ...</param>
    /// <param name="recipient">Named in a "for" clause only when the message has one recipient.</param>
    public static string Received(
        string heloName,
        string? remoteAddress,
        string hostName,
        string protocol,
        string? recipient,
        DateTimeOffset when)
    {
        var text = new StringBuilder("Received: from ");
        text.Append(string.IsNullOrEmpty(heloName) ? "unknown" : HeaderText.Safe(heloName));
        if (remoteAddress is not null)
        {
            text.Append(" ([").Append(HeaderText.Safe(remoteAddress)).Append("])");
        }

        text.Append("\r\n\tby ").Append(HeaderText.Safe(hostName)).Append(" (Postino) with ").Append(HeaderText.Safe(protocol));
        if (recipient is not null)
        {
            text.Append("\r\n\tfor ").Append(HeaderText.Safe(recipient));
        }

        text.Append("; ").Append(Rfc5322Date(when)).Append("\r\n");
        return text.ToString();
    }

    public static string Rfc5322Date(DateTimeOffset when)
    {
        var utc = when.ToUniversalTime();
        return utc.ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +0000";
    }
}
