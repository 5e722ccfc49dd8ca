using System.Net.Security;
using System.Security.Authentication;

namespace Postino.Server.Tls;

/// <summary>
/// What a finished handshake negotiated, for the logout line ("TLSv1.3 TLS_AES_256_GCM_SHA384"), and the channel
/// binding SCRAM-SHA-256-PLUS needs on this connection.
/// </summary>
public sealed record TlsConnectionInfo(SslProtocols Protocol, TlsCipherSuite CipherSuite, byte[]? TlsServerEndPoint)
{
    /// <summary>OpenSSL-style protocol name, as mail server logs usually print it.</summary>
    public string ProtocolName => Protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
#pragma warning disable SYSLIB0039 // Named only to report a legacy connection if someone enabled it.
        SslProtocols.Tls11 => "TLSv1.1",
        SslProtocols.Tls => "TLSv1",
#pragma warning restore SYSLIB0039
        _ => Protocol.ToString(),
    };

    public static TlsConnectionInfo FromStream(SslStream stream, byte[]? tlsServerEndPoint)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new TlsConnectionInfo(stream.SslProtocol, stream.NegotiatedCipherSuite, tlsServerEndPoint);
    }

    public override string ToString() => ProtocolName + " " + CipherSuite;
}
