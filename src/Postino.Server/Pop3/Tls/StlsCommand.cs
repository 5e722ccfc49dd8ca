using Postino.Protocols.Pop3;
using Postino.Server.Tls;

namespace Postino.Server.Pop3.Tls;

/// <summary>
/// STLS (RFC 2595 section 4): "+OK", then the TLS handshake on the same connection, through the session kernel's one
/// upgrade path (shared with SMTP STARTTLS): anything pipelined after STLS is thrown away, a failed handshake ends the
/// session, and a successful one restarts AUTHORIZATION with a fresh parser (so CAPA is asked again and answers
/// differently).
/// </summary>
public sealed class StlsCommand(TlsServerSettings settings) : IPop3Command
{
    public string Verb => "STLS";

    public Pop3States AllowedIn => Pop3States.Authorization;

    public bool IsAvailable(Pop3Session session) => settings.IsAvailable;

    public ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken)
    {
        if (session.IsSecure)
        {
            session.Reject(Pop3TextKey.TlsAlreadyActive);
        }
        else if (command.Args.Count > 0)
        {
            session.Reject(Pop3TextKey.ArgumentsTooMany);
        }
        else
        {
            session.Ok(Pop3TextKey.StlsBegin);
            session.RequestTransportUpgrade(async (transport, token) =>
            {
                var tls = await StartTls.UpgradeAsync(transport, settings, token);
                Pop3SessionTls.Started(session, tls);
                return tls;
            });
        }

        return ValueTask.CompletedTask;
    }
}
