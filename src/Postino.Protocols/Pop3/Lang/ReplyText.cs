namespace Postino.Protocols.Pop3.Lang;

/// <summary>
/// The keys of the reply catalogue. Each language file (Lang/xx.json) defines every key; a "{0}" in a text is an
/// argument, documented here.
/// </summary>
public static class ReplyText
{
    /// <summary>Greeting; {0} = server name.</summary>
    public const string Greeting = "greeting";
    public const string CapabilityList = "capability-list";
    public const string UnknownCommand = "unknown-command";
    public const string BadArguments = "bad-arguments";
    public const string CommandTooLong = "command-too-long";
    public const string NotInThisState = "not-in-this-state";
    public const string TooManyBadCommands = "too-many-bad-commands";
    public const string IdleTimeout = "idle-timeout";
    public const string ShuttingDown = "shutting-down";

    /// <summary>Over the per-address connection cap.</summary>
    public const string TooManyConnectionsFromAddress = "too-many-connections-from-address";

    /// <summary>Over the total connection cap.</summary>
    public const string TooManyConnections = "too-many-connections";

    // AUTHORIZATION
    public const string SendPassword = "send-password";
    public const string UserFirst = "user-first";

    /// <summary>Logged in; {0} = message count, {1} = size in octets.</summary>
    public const string LoggedIn = "logged-in";
    public const string AuthenticationFailed = "authentication-failed";
    public const string PlaintextDisallowed = "plaintext-disallowed";

    /// <summary>LOGIN-DELAY refusal; {0} = seconds still to wait.</summary>
    public const string LoginTooSoon = "login-too-soon";
    public const string MailboxInUse = "mailbox-in-use";
    public const string TemporaryFailure = "temporary-failure";
    public const string AlreadyLoggedIn = "already-logged-in";

    // SASL
    public const string AuthMechanismList = "auth-mechanism-list";
    public const string AuthUnknownMechanism = "auth-unknown-mechanism";
    public const string AuthCancelled = "auth-cancelled";
    public const string AuthMalformed = "auth-malformed";
    public const string AuthChannelBinding = "auth-channel-binding";
    public const string AuthAuthorizationDenied = "auth-authorization-denied";

    // TLS
    public const string BeginTls = "begin-tls";
    public const string TlsAlreadyActive = "tls-already-active";
    public const string TlsUnavailable = "tls-unavailable";

    // RFC 6856
    public const string Utf8Enabled = "utf8-enabled";
    public const string LanguageList = "language-list";

    /// <summary>Language switched; written in the new language; {0} = its tag.</summary>
    public const string LanguageChanged = "language-changed";
    public const string LanguageUnsupported = "language-unsupported";

    // TRANSACTION
    /// <summary>STAT-like summary for RSET; {0} = message count, {1} = octets.</summary>
    public const string MaildropSummary = "maildrop-summary";
    public const string ScanListFollows = "scan-list-follows";
    public const string UniqueIdListFollows = "unique-id-list-follows";
    public const string MessageFollows = "message-follows";

    /// <summary>{0} = Msn.</summary>
    public const string NoSuchMessage = "no-such-message";
    public const string MessageDeleted = "message-deleted";

    /// <summary>{0} = Msn.</summary>
    public const string MarkedDeleted = "marked-deleted";

    // UPDATE / logout
    public const string LoggingOut = "logging-out";
    public const string DeletionFailed = "deletion-failed";
}
