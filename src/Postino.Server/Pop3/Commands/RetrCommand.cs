using Postino.Protocols.Pop3;

namespace Postino.Server.Pop3.Commands;

/// <summary>RETR msn: the whole message, streamed; marked retrieved once all of it was written.</summary>
public sealed class RetrCommand : IPop3Command
{
    public string Verb => "RETR";

    public Pop3States AllowedIn => Pop3States.Transaction;

    public async ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken)
    {
        if (!MessageNumbers.TryGetIndex(session, command, out var index))
        {
            return;
        }

        var size = session.Maildrop!.Messages[index].Size;
        var sent = await MessageSender.SendAsync(
            session, index, bodyLines: null, Pop3TextKey.RetrFollows, size, cancellationToken);
        if (sent is { } bytes)
        {
            session.Maildrop.MarkRetrieved(index);
            session.Statistics.RetrCount++;
            session.Statistics.RetrBytes += bytes;
        }
    }
}
