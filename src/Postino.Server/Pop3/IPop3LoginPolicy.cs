namespace Postino.Server.Pop3;

/// <summary>
/// Whether plaintext logins (USER/PASS, APOP) are allowed on a session; when not, CAPA leaves USER out and the
/// commands answer -ERR [AUTH]. The default allows them everywhere; TLS policy (plaintext only under TLS or from
/// trusted networks) replaces it.
/// </summary>
public interface IPop3LoginPolicy
{
    bool AllowsPlaintextLogin(Pop3Session session);
}

/// <summary>Allows plaintext logins everywhere.</summary>
public sealed class AllowPlaintextLoginPolicy : IPop3LoginPolicy
{
    public bool AllowsPlaintextLogin(Pop3Session session) => true;
}
