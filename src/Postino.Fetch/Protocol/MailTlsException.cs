namespace Postino.Fetch.Protocol;

/// <summary>The TLS handshake failed, most often because the server's certificate was not trusted.</summary>
public class MailTlsException : MailProtocolException
{
    public MailTlsException()
    {
    }

    public MailTlsException(string message)
        : base(message)
    {
    }

    public MailTlsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
