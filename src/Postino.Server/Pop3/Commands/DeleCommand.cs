using Postino.Protocols.Pop3;
using Postino.Server.Sessions;

namespace Postino.Server.Pop3.Commands;

/// <summary>DELE msn: only marks the message; QUIT applies the marks.</summary>
public sealed class DeleCommand : IPop3Command
{
    public string Verb => "DELE";

    public Pop3States AllowedIn => Pop3States.Transaction;

    public ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken)
    {
        if (MessageNumbers.TryGetIndex(session, command, out var index))
        {
            session.Maildrop!.MarkDeleted(index);
            session.Statistics.DeleCount++;
            session.Ok(Pop3TextKey.Deleted, MessageNumber.ToMsn(index));
        }

        return ValueTask.CompletedTask;
    }
}
