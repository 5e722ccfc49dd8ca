using Postino.Protocols.Pop3;

namespace Postino.Server.Pop3.Commands;

/// <summary>CAPA (RFC 2449): the capability list of this session, in both states.</summary>
public sealed class CapaCommand : IPop3Command
{
    public string Verb => "CAPA";

    public Pop3States AllowedIn => Pop3States.Any;

    public ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken)
    {
        if (MessageNumbers.NoArguments(session, command))
        {
            Pop3ReplyWriter.WriteMultiLine(
                session.Output,
                session.Texts[Pop3TextKey.CapabilityList],
                session.Services.Capabilities.GetLines(session));
        }

        return ValueTask.CompletedTask;
    }
}
