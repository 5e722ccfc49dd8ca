namespace Postino.Fetch.Protocol;

/// <summary>How a connection gets TLS.</summary>
public enum TlsMode
{
    /// <summary>Plain text throughout, even when the server offers STLS (<c>--no-tls</c>; tests, loopback).</summary>
    None,

    /// <summary>Plain connect, then upgrade with STLS; refuse to continue when the server does not offer it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (pop3s, port 995).</summary>
    Implicit,

    /// <summary>
    /// Plain connect, then STLS whenever the server's CAPA offers it (verified like <see cref="Implicit"/>), so a
    /// password never goes in clear to a server that offered TLS; plain text only with a server that does not.
    /// </summary>
    StartTlsIfOffered,
}
