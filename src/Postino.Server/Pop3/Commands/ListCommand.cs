using Postino.Protocols.Pop3;
using Postino.Server.Sessions;

namespace Postino.Server.Pop3.Commands;

/// <summary>LIST [msn]: sizes of the messages not marked deleted, or of one.</summary>
public sealed class ListCommand : IPop3Command
{
    public string Verb => "LIST";

    public Pop3States AllowedIn => Pop3States.Transaction;

    public ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken)
    {
        var maildrop = session.Maildrop!;
        if (command.HasArguments)
        {
            if (MessageNumbers.TryGetIndex(session, command, out var index))
            {
                session.OkData(MessageNumber.ToMsn(index), maildrop.Messages[index].Size);
            }

            return ValueTask.CompletedTask;
        }

        var (count, octets) = MaildropTotals.Visible(maildrop);
        session.Ok(Pop3TextKey.ListFollows, count, octets);
        for (var i = 0; i < maildrop.Messages.Count; i++)
        {
            if (!maildrop.IsDeleted(i))
            {
                Pop3ReplyWriter.WriteDataLine(session.Output, MessageNumber.ToMsn(i), maildrop.Messages[i].Size);
            }
        }

        Pop3ReplyWriter.WriteTerminator(session.Output);
        return ValueTask.CompletedTask;
    }
}
