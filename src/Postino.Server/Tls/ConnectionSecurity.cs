using System.Net;

namespace Postino.Server.Tls;

/// <summary>
/// The security facts of one connection that its session consults for CAPA and for every login command: is TLS on,
/// may STLS be offered, are plaintext credentials allowed, what channel binding SCRAM-PLUS gets.
/// </summary>
public sealed class ConnectionSecurity
{
    private readonly TlsServerSettings? _tls;
    private readonly PlaintextAuthPolicy _plaintext;

    /// <param name="tls">The listener's TLS settings, or null when it has none (then STLS is never offered).</param>
    /// <param name="plaintext">Where plaintext credentials are allowed.</param>
    /// <param name="remoteAddress">The client.</param>
    /// <param name="implicitTls">The handshake of an implicit-TLS listener, or null on a plain connection.</param>
    public ConnectionSecurity(TlsServerSettings? tls, PlaintextAuthPolicy plaintext, IPAddress remoteAddress, TlsConnectionInfo? implicitTls = null)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(remoteAddress);
        _tls = tls;
        _plaintext = plaintext;
        RemoteAddress = remoteAddress;
        Tls = implicitTls;
    }

    public IPAddress RemoteAddress { get; }

    /// <summary>The negotiated TLS, or null while the connection is in plaintext.</summary>
    public TlsConnectionInfo? Tls { get; private set; }

    public bool IsTls => Tls is not null;

    /// <summary>STLS goes in CAPA and is accepted: a certificate is configured and TLS is not yet active (RFC 2595).</summary>
    public bool CanStartTls => !IsTls && _tls is { IsAvailable: true };

    /// <summary>USER/PASS, APOP and AUTH PLAIN/LOGIN are allowed (and advertised) on this connection.</summary>
    public bool PlaintextAllowed => _plaintext.Allows(RemoteAddress, IsTls);

    /// <summary>tls-server-end-point data for SCRAM-SHA-256-PLUS, or null.</summary>
    public byte[]? ChannelBinding => Tls?.TlsServerEndPoint;

    /// <summary>The settings STLS upgrades with (only when <see cref="CanStartTls"/>).</summary>
    public TlsServerSettings? Settings => _tls;

    /// <summary>Records a completed STLS handshake.</summary>
    public void TlsStarted(TlsConnectionInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (IsTls)
        {
            throw new InvalidOperationException("TLS is already active on this connection.");
        }

        Tls = info;
    }
}
