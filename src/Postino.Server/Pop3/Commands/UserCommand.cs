using Postino.Protocols.Pop3;

namespace Postino.Server.Pop3.Commands;

/// <summary>USER name: remembers the name for PASS (which checks both, so USER reveals nothing).</summary>
public sealed class UserCommand : IPop3Command
{
    public string Verb => "USER";

    public Pop3States AllowedIn => Pop3States.Authorization;

    public ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken)
    {
        if (!session.Services.LoginPolicy.AllowsPlaintextLogin(session))
        {
            session.Reject(Pop3ResponseCode.Auth, Pop3TextKey.PlaintextLoginDisabled);
        }
        else if (command.Arguments.Length == 0)
        {
            session.Reject(Pop3TextKey.ArgumentMissing);
        }
        else if (ContainsControl(command.Arguments))
        {
            session.Reject(Pop3TextKey.InvalidUserName);
        }
        else
        {
            session.PendingUser = command.Arguments;
            session.Ok(Pop3TextKey.UserAccepted);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>As <c>Any(char.IsControl)</c> (C0, DEL and C1), without an enumerator and a delegate per USER.</summary>
    private static bool ContainsControl(string text) =>
        text.AsSpan().ContainsAnyInRange('\0', '\x1F') || text.AsSpan().ContainsAnyInRange('\x7F', '\x9F');
}
