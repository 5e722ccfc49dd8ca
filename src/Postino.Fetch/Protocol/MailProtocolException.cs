namespace Postino.Fetch.Protocol;

/// <summary>
/// The conversation with the server broke: a malformed or unexpected reply, an over-long line, a closed connection,
/// a timeout. The connection is no longer usable and has been closed.
/// </summary>
public class MailProtocolException : Exception
{
    public MailProtocolException()
    {
    }

    public MailProtocolException(string message)
        : base(message)
    {
    }

    public MailProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
