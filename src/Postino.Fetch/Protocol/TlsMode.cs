namespace Postino.Fetch.Protocol;

/// <summary>How a connection gets TLS.</summary>
public enum TlsMode
{
    /// <summary>Plain text throughout (tests, loopback).</summary>
    None,

    /// <summary>Plain connect, then upgrade with STLS; refuse to continue when the server does not offer it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (pop3s, port 995).</summary>
    Implicit,
}
