namespace Postino.Server.Tls;

/// <summary>The client's TLS handshake failed or timed out; the session must end (RFC 2595 section 4).</summary>
public sealed class TlsHandshakeFailedException : Exception
{
    public TlsHandshakeFailedException()
    {
    }

    public TlsHandshakeFailedException(string message)
        : base(message)
    {
    }

    public TlsHandshakeFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
