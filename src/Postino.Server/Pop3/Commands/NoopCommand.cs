using Postino.Protocols.Pop3;

namespace Postino.Server.Pop3.Commands;

/// <summary>NOOP: +OK (it resets the idle timer, as every command does).</summary>
public sealed class NoopCommand : IPop3Command
{
    public string Verb => "NOOP";

    public Pop3States AllowedIn => Pop3States.Transaction;

    public ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken)
    {
        if (MessageNumbers.NoArguments(session, command))
        {
            session.Ok(Pop3TextKey.Noop);
        }

        return ValueTask.CompletedTask;
    }
}
