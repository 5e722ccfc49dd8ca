namespace Postino.Protocols.Sasl;

/// <summary>Per-connection settings of a SCRAM-SHA-256 exchange.</summary>
public sealed record ScramOptions
{
    /// <summary>
    /// The connection's tls-server-end-point channel-binding data (RFC 5929), or null on a connection without TLS (or
    /// with a certificate whose signature hash is undefined for it). When set, the server offers -PLUS, and a client that
    /// says "y" (binding supported but thought unsupported by the server) is refused as a downgrade.
    /// </summary>
    public byte[]? TlsServerEndPoint { get; init; }

    /// <summary>Who may act as whom ("a=" authzid); default: nobody as anybody else.</summary>
    public SaslAuthorizationPolicy Authorization { get; init; } = SaslAuthorization.SameUserOnly;

    /// <summary>The server's nonce part (printable ASCII without ','); default 24 random bytes in base64.</summary>
    public Func<string>? NonceFactory { get; init; }

    /// <summary>The iteration count announced for unknown users, so that they look like known ones.</summary>
    public int UnknownUserIterations { get; init; } = 4096;
}
