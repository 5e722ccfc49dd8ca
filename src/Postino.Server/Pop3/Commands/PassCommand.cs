using Postino.Protocols.Pop3;
using Postino.Server.Auth;

namespace Postino.Server.Pop3.Commands;

/// <summary>PASS password: the whole rest of the line is the password, spaces included.</summary>
public sealed class PassCommand : IPop3Command
{
    public string Verb => "PASS";

    public Pop3States AllowedIn => Pop3States.Authorization;

    public async ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken)
    {
        if (!session.Services.LoginPolicy.AllowsPlaintextLogin(session))
        {
            session.Reject(Pop3ResponseCode.Auth, Pop3TextKey.PlaintextLoginDisabled);
            return;
        }

        if (session.PendingUser is not { } user)
        {
            session.Reject(Pop3TextKey.PassWithoutUser);
            return;
        }

        session.PendingUser = null;

        // The authenticator prepares the name and password (RFC 8265) for every protocol.
        var result = await session.Services.Authenticator.AuthenticateAsync(
            user, command.Arguments, session.Connection.RemoteAddress, cancellationToken);
        await LoginResults.ApplyAsync(session, result, user, cancellationToken);
    }
}
