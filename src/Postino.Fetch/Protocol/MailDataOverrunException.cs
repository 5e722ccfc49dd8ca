namespace Postino.Fetch.Protocol;

/// <summary>
/// The server sent more data than the caller allowed (a message longer than its announced size plus a margin, a
/// listing longer than STAT announced). The connection cannot be resynchronised and has been closed.
/// </summary>
public sealed class MailDataOverrunException : MailProtocolException
{
    public MailDataOverrunException()
    {
    }

    public MailDataOverrunException(string message)
        : base(message)
    {
    }

    public MailDataOverrunException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
