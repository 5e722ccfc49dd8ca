namespace Postino.Server.Sessions;

/// <summary>
/// The one mapping between a protocol's message number (<c>Msn</c>, 1-based: POP3 and POP2 alike) and the maildrop's
/// <c>Index</c> (0-based, stable for the session), so that no session does the arithmetic itself.
/// </summary>
public static class MessageNumber
{
    /// <summary>The maildrop index of message <paramref name="msn"/> (not range-checked: callers check the count).</summary>
    public static int ToIndex(int msn) => msn - 1;

    /// <summary>The message number the client knows message <paramref name="index"/> by.</summary>
    public static int ToMsn(int index) => index + 1;
}
