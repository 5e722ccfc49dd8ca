using Postino.Protocols.Pop3;
using Postino.Storage;

namespace Postino.Server.Pop3;

public sealed partial class Pop3Session
{
    /// <summary>
    /// Completes a login whose credentials were checked (PASS, APOP, SASL): opens the user's maildrop and answers
    /// +OK, or -ERR [IN-USE] / [SYS/TEMP] / [SYS/PERM]. Returns true when the session is in TRANSACTION.
    /// </summary>
    public async ValueTask<bool> LoginAsync(string user, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        PendingUser = null;
        IMaildrop maildrop;
        try
        {
            maildrop = await Services.Store.OpenAsync(user, null, cancellationToken);
        }
        catch (MailboxInUseException)
        {
            Error(Pop3ResponseCode.InUse, Pop3TextKey.MailboxInUse);
            return false;
        }
        catch (StorageException e)
        {
            Pop3Log.MaildropOpenFailed(Services.Logger, e, user);
            Error(StorageCode(e), Pop3TextKey.MailboxUnavailable);
            return false;
        }

        Maildrop = maildrop;
        User = user;
        State = Pop3States.Transaction;
        _kernel?.Input.LoggedIn();
        var (count, octets) = MaildropTotals.Visible(maildrop);
        Ok(Pop3TextKey.LoggedIn, count, octets);
        return true;
    }

    /// <summary>
    /// QUIT in TRANSACTION: enters UPDATE, commits the maildrop durably and closes it, which releases the mailbox
    /// lock before the caller writes its reply, so a client that has read the reply can log in again at once. Not
    /// cancellable: once the client asked for it, the commit runs to its end. Throws <see cref="StorageException"/>
    /// when it failed; the maildrop is closed (without commit) all the same.
    /// </summary>
    public async ValueTask CommitAsync()
    {
        var maildrop = Maildrop ?? throw new InvalidOperationException("no maildrop is open");
        State = Pop3States.Update;
        try
        {
            await maildrop.CommitAsync(CancellationToken.None);
        }
        finally
        {
            await CloseMaildropAsync();
        }
    }

    /// <summary>[SYS/TEMP] when retrying may help, else [SYS/PERM].</summary>
    public static Pop3ResponseCode StorageCode(StorageException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.IsTemporary ? Pop3ResponseCode.SysTemp : Pop3ResponseCode.SysPerm;
    }

    private async ValueTask CloseMaildropAsync()
    {
        if (Maildrop is not { } maildrop)
        {
            return;
        }

        Maildrop = null;
        try
        {
            await maildrop.DisposeAsync();
        }
        catch (StorageException e)
        {
            Pop3Log.MaildropCloseFailed(Services.Logger, e, User ?? "-");
        }
    }
}
