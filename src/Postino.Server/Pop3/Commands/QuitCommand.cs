using Postino.Protocols.Pop3;
using Postino.Storage;

namespace Postino.Server.Pop3.Commands;

/// <summary>
/// QUIT: in AUTHORIZATION just signs off; in TRANSACTION enters UPDATE, commits the maildrop and answers +OK only
/// when the deletions are on disk, -ERR [SYS/TEMP] (or [SYS/PERM]) when they are not.
/// </summary>
public sealed class QuitCommand : IPop3Command
{
    public string Verb => "QUIT";

    public Pop3States AllowedIn => Pop3States.Any;

    public async ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken)
    {
        if (session.Maildrop is not { } maildrop)
        {
            session.Ok(Pop3TextKey.SigningOff, session.Services.HostName);
            session.Close(Pop3SessionEnd.Quit);
            return;
        }

        var deleted = MaildropTotals.Deleted(maildrop);
        try
        {
            await session.CommitAsync();
            session.Ok(Pop3TextKey.LoggedOut, session.Services.HostName, deleted);
            session.Close(Pop3SessionEnd.Quit);
        }
        catch (StorageException e)
        {
            Pop3Log.CommitFailed(session.Services.Logger, e, session.User ?? "-");
            session.Error(Pop3Session.StorageCode(e), Pop3TextKey.CommitFailed);
            session.Close(Pop3SessionEnd.CommitFailed);
        }
    }
}
