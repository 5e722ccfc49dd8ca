namespace Postino.Server.Pop3;

/// <summary>The English reply texts: the default catalogue and the fallback of every other language.</summary>
internal static class Pop3TextsEnglish
{
    public static IReadOnlyDictionary<Pop3TextKey, string> Texts { get; } = new Dictionary<Pop3TextKey, string>
    {
        [Pop3TextKey.Greeting] = "{0} POP3 server ready",
        [Pop3TextKey.CapabilityList] = "Capability list follows",
        [Pop3TextKey.SigningOff] = "{0} POP3 server signing off",
        [Pop3TextKey.LoggedOut] = "{0} POP3 server signing off, {1} messages deleted",
        [Pop3TextKey.CommitFailed] = "Deleted messages could not be removed, nothing was deleted; try again later",
        [Pop3TextKey.UnknownCommand] = "Unknown command",
        [Pop3TextKey.NotInThisState] = "Command not valid in this state",
        [Pop3TextKey.LineTooLong] = "Command line too long (the limit is {0} octets)",
        [Pop3TextKey.InvalidCommand] = "Invalid command line",
        [Pop3TextKey.ArgumentMissing] = "Missing argument",
        [Pop3TextKey.ArgumentsTooMany] = "Too many arguments",
        [Pop3TextKey.ArgumentNotANumber] = "Invalid number",
        [Pop3TextKey.ArgumentZero] = "Message numbers start at 1",
        [Pop3TextKey.ArgumentTooLarge] = "Number too large",
        [Pop3TextKey.NoSuchMessage] = "There is no message {0}",
        [Pop3TextKey.MessageDeleted] = "Message {0} is deleted",
        [Pop3TextKey.MessageUnavailable] = "Message {0} cannot be read now; try again later",
        [Pop3TextKey.UserAccepted] = "Send your password",
        [Pop3TextKey.InvalidUserName] = "Invalid user name",
        [Pop3TextKey.PassWithoutUser] = "Send USER first",
        [Pop3TextKey.PlaintextLoginDisabled] = "Plaintext login is not allowed on this connection",
        [Pop3TextKey.LoggedIn] = "Logged in, maildrop has {0} messages ({1} octets)",
        [Pop3TextKey.AuthenticationFailed] = "Authentication failed",
        [Pop3TextKey.LoginTooSoon] = "Logged in too recently; wait before logging in again",
        [Pop3TextKey.AuthenticationUnavailable] = "Authentication is temporarily unavailable; try again later",
        [Pop3TextKey.MailboxInUse] = "Mailbox is in use by another session",
        [Pop3TextKey.MailboxUnavailable] = "Mailbox cannot be opened now; try again later",
        [Pop3TextKey.ListFollows] = "{0} messages ({1} octets)",
        [Pop3TextKey.UidlFollows] = "Unique-ID listing follows",
        [Pop3TextKey.RetrFollows] = "{0} octets",
        [Pop3TextKey.TopFollows] = "Top of message follows",
        [Pop3TextKey.Deleted] = "Message {0} deleted",
        [Pop3TextKey.Noop] = "",
        [Pop3TextKey.Reset] = "Maildrop has {0} messages ({1} octets)",
        [Pop3TextKey.IdleTimeout] = "Disconnected for inactivity",
        [Pop3TextKey.TooManyBadCommands] = "Too many bad commands, closing",
    };
}
