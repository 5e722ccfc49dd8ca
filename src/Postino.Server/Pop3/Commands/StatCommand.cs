using Postino.Protocols.Pop3;

namespace Postino.Server.Pop3.Commands;

/// <summary>STAT: "+OK count octets" of the messages not marked deleted.</summary>
public sealed class StatCommand : IPop3Command
{
    public string Verb => "STAT";

    public Pop3States AllowedIn => Pop3States.Transaction;

    public ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken)
    {
        if (MessageNumbers.NoArguments(session, command))
        {
            var (count, octets) = MaildropTotals.Visible(session.Maildrop!);
            session.OkData(count, octets);
        }

        return ValueTask.CompletedTask;
    }
}
