using Postino.Protocols.Pop3;
using Postino.Server.Sessions;

namespace Postino.Server.Pop3.Commands;

/// <summary>
/// The shared argument checks of the message commands (Dovecot's get_msgnum): each answers -ERR itself and returns
/// false, so handlers stay a few lines. Messages marked deleted are as good as absent.
/// </summary>
public static class MessageNumbers
{
    /// <summary>Exactly one argument naming a message that exists and is not deleted; gives its 0-based index.</summary>
    public static bool TryGetIndex(Pop3Session session, Pop3Command command, out int index)
    {
        index = -1;
        var error = Pop3Arguments.ParseMessageNumber(command, out var msn);
        return error == Pop3ArgumentError.None ? TryGetIndex(session, msn, out index) : Reject(session, error);
    }

    /// <summary>The 0-based index of a message that exists and is not deleted.</summary>
    public static bool TryGetIndex(Pop3Session session, int msn, out int index)
    {
        ArgumentNullException.ThrowIfNull(session);
        index = MessageNumber.ToIndex(msn);
        var maildrop = session.Maildrop ?? throw new InvalidOperationException("not in TRANSACTION");
        if (index < 0 || index >= maildrop.Messages.Count)
        {
            session.Reject(Pop3TextKey.NoSuchMessage, msn);
            return false;
        }

        if (maildrop.IsDeleted(index))
        {
            session.Reject(Pop3TextKey.MessageDeleted, msn);
            return false;
        }

        return true;
    }

    /// <summary>Answers a malformed argument with its -ERR; always false.</summary>
    public static bool Reject(Pop3Session session, Pop3ArgumentError error)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.Reject(error switch
        {
            Pop3ArgumentError.Missing => Pop3TextKey.ArgumentMissing,
            Pop3ArgumentError.TooMany => Pop3TextKey.ArgumentsTooMany,
            Pop3ArgumentError.Zero => Pop3TextKey.ArgumentZero,
            Pop3ArgumentError.TooLarge => Pop3TextKey.ArgumentTooLarge,
            _ => Pop3TextKey.ArgumentNotANumber,
        });
        return false;
    }

    /// <summary>The commands that take no argument refuse one.</summary>
    public static bool NoArguments(Pop3Session session, Pop3Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return !command.HasArguments || Reject(session, Pop3ArgumentError.TooMany);
    }
}
