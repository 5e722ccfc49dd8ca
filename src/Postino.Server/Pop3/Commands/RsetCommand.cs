using Postino.Protocols.Pop3;

namespace Postino.Server.Pop3.Commands;

/// <summary>RSET: clears every deletion mark of this session.</summary>
public sealed class RsetCommand : IPop3Command
{
    public string Verb => "RSET";

    public Pop3States AllowedIn => Pop3States.Transaction;

    public ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken)
    {
        if (MessageNumbers.NoArguments(session, command))
        {
            session.Maildrop!.ClearDeletions();
            var (count, octets) = MaildropTotals.Visible(session.Maildrop);
            session.Ok(Pop3TextKey.Reset, count, octets);
        }

        return ValueTask.CompletedTask;
    }
}
