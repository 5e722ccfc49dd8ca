using Postino.Server.Tls;

namespace Postino.Server.Pop3.Tls;

/// <summary>A session's TLS facts: from its STLS upgrade, or from the implicit-TLS listener's handshake.</summary>
public static class Pop3SessionTls
{
    /// <summary>Protocol, cipher and channel binding, or null while the session is in plaintext.</summary>
    public static TlsConnectionInfo? Info(Pop3Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Features.Get<TlsConnectionInfo>() ?? session.Connection.Features?.GetTlsInfo();
    }

    /// <summary>For the logout line: "TLSv1.3 TLS_AES_256_GCM_SHA384", or "none".</summary>
    public static string Describe(Pop3Session session) => Info(session)?.ToString() ?? "none";

    /// <summary>Records a finished STLS handshake; the session kernel owns (and closes) the TLS connection.</summary>
    internal static void Started(Pop3Session session, TlsConnection tls)
    {
        session.IsSecure = true;
        session.Features.Set(tls.Info);
    }
}
