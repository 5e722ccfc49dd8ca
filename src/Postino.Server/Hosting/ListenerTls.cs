namespace Postino.Server.Hosting;

/// <summary>How a listener uses TLS.</summary>
public enum ListenerTls
{
    /// <summary>Plain text (a protocol may still upgrade with STLS/STARTTLS).</summary>
    None,

    /// <summary>TLS from the first byte (POP3S); the listener's configure hook adds the TLS middleware.</summary>
    Implicit,
}
