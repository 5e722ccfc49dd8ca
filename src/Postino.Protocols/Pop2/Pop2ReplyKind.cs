namespace Postino.Protocols.Pop2;

/// <summary>The four reply forms of RFC 937; only the lead character is normative.</summary>
public enum Pop2ReplyKind
{
    /// <summary><c>+</c>: greeting and QUIT.</summary>
    Success,

    /// <summary><c>-</c>: failure; the server closes the connection after it.</summary>
    Failure,

    /// <summary><c>#n</c>: message count, answering HELO and FOLD.</summary>
    Count,

    /// <summary><c>=c</c>: message length in octets, answering READ, ACKS, ACKD and NACK.</summary>
    Length,
}
