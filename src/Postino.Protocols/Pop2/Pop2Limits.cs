namespace Postino.Protocols.Pop2;

/// <summary>The line limits of RFC 937 (page 12).</summary>
public static class Pop2Limits
{
    /// <summary>Longest command line, keyword and CRLF included.</summary>
    public const int MaxCommandLength = 512;

    /// <summary>Longest reply line, lead character and CRLF included.</summary>
    public const int MaxReplyLength = 512;
}
