using Postino.Protocols.Pop3;

namespace Postino.Server.Pop3.Lang;

/// <summary>
/// UTF8 (RFC 6856 section 2): before login, the client declares UTF-8 user names, passwords and texts. Messages are
/// always sent as stored, 8-bit headers included; user names and passwords are compared after RFC 8265 preparation
/// whether or not UTF8 was sent (preparation leaves ASCII unchanged).
/// </summary>
public sealed class Utf8Command : IPop3Command
{
    public string Verb => "UTF8";

    public Pop3States AllowedIn => Pop3States.Authorization;

    public ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken)
    {
        if (command.Args.Count > 0)
        {
            session.Reject(Pop3TextKey.ArgumentsTooMany);
            return ValueTask.CompletedTask;
        }

        session.Features.Set(Utf8Mode.Enabled);
        session.Ok(Pop3TextKey.Utf8Enabled);
        return ValueTask.CompletedTask;
    }
}
