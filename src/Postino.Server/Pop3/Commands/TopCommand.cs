using Postino.Protocols.Pop3;

namespace Postino.Server.Pop3.Commands;

/// <summary>TOP msn lines: the header, the blank line, then at most that many body lines (not a retrieval).</summary>
public sealed class TopCommand : IPop3Command
{
    public string Verb => "TOP";

    public Pop3States AllowedIn => Pop3States.Transaction;

    public async ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken)
    {
        var error = Pop3Arguments.ParseTop(command, out var msn, out var lines);
        if (error != Pop3ArgumentError.None)
        {
            MessageNumbers.Reject(session, error);
            return;
        }

        if (!MessageNumbers.TryGetIndex(session, msn, out var index))
        {
            return;
        }

        var sent = await MessageSender.SendAsync(
            session, index, lines, Pop3TextKey.TopFollows, statusNumber: null, cancellationToken);
        if (sent is { } bytes)
        {
            session.Statistics.TopCount++;
            session.Statistics.TopBytes += bytes;
        }
    }
}
