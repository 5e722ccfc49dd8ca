using Postino.Server.Tls;

namespace Postino.Server.Pop3.Tls;

/// <summary>
/// Plaintext logins (USER/PASS, APOP, AUTH PLAIN/LOGIN) only under TLS or from trusted networks; elsewhere CAPA leaves
/// them out and they answer -ERR [AUTH].
/// </summary>
public sealed class TlsPlaintextLoginPolicy(PlaintextAuthPolicy policy) : IPop3LoginPolicy
{
    public bool AllowsPlaintextLogin(Pop3Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return policy.Allows(session.Connection.RemoteAddress, session.IsSecure);
    }
}
