namespace Postino.Protocols.Pop2;

/// <summary>Why a command line could not be parsed. In POP2 every one of these ends the session.</summary>
public enum Pop2CommandError
{
    /// <summary>Not an error: a command was parsed.</summary>
    None,

    /// <summary>An empty line.</summary>
    EmptyLine,

    /// <summary>A line longer than <see cref="Pop2Limits.MaxCommandLength"/> octets including its CRLF.</summary>
    LineTooLong,

    UnknownCommand,

    /// <summary>HELO without user or password, FOLD without a mailbox name.</summary>
    MissingArgument,

    /// <summary>An argument after RETR, ACKS, ACKD, NACK or QUIT.</summary>
    UnexpectedArgument,

    /// <summary>READ followed by something that is not a decimal number.</summary>
    InvalidNumber,
}
