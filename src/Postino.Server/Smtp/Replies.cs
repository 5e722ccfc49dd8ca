using Postino.Protocols.Smtp;

namespace Postino.Server.Smtp;

/// <summary>The fixed replies of the SMTP and LMTP sessions, in one place so transcripts and code agree.</summary>
internal static class Replies
{
    public static readonly SmtpReply Ok = new(250, "2.0.0", "Ok");
    public static readonly SmtpReply SenderOk = new(250, "2.1.0", "Sender ok");
    public static readonly SmtpReply RecipientOk = new(250, "2.1.5", "Recipient ok");
    public static readonly SmtpReply StartData = new(354, null, "End data with <CR><LF>.<CR><LF>");
    public static readonly SmtpReply Bye = new(221, "2.0.0", "Bye");
    public static readonly SmtpReply Help = new(214, "2.0.0", "See RFC 5321 (SMTP) and RFC 2033 (LMTP)");
    public static readonly SmtpReply CannotVerify = new(252, "2.5.0", "Cannot VRFY user, but will accept message for local users");
    public static readonly SmtpReply ReadyToStartTls = new(220, "2.0.0", "Ready to start TLS");

    public static readonly SmtpReply UnknownCommand = new(500, "5.5.1", "Unknown command");
    public static readonly SmtpReply LineTooLong = new(500, "5.5.2", "Line too long");
    public static readonly SmtpReply UseLhlo = new(500, "5.5.1", "This is LMTP: say LHLO");
    public static readonly SmtpReply UseEhlo = new(500, "5.5.1", "This is SMTP: say EHLO or HELO");
    public static readonly SmtpReply HelloNeedsDomain = new(501, "5.5.4", "Syntax: EHLO/HELO/LHLO domain");
    public static readonly SmtpReply HelloInvalid = new(501, "5.5.2", "Syntax: EHLO/HELO/LHLO needs a domain or an address literal");
    public static readonly SmtpReply NoArguments = new(501, "5.5.4", "No arguments allowed");
    public static readonly SmtpReply MailSyntax = new(501, "5.5.4", "Syntax: MAIL FROM:<address> [parameters]");
    public static readonly SmtpReply RcptSyntax = new(501, "5.5.4", "Syntax: RCPT TO:<address>");
    public static readonly SmtpReply BadSender = new(501, "5.1.7", "Bad sender address syntax");
    public static readonly SmtpReply BadRecipient = new(501, "5.1.3", "Bad recipient address syntax");
    public static readonly SmtpReply BadParameterValue = new(501, "5.5.4", "Invalid parameter value");
    public static readonly SmtpReply UnknownParameter = new(555, "5.5.4", "Unsupported parameter");
    public static readonly SmtpReply Utf8Required = new(553, "5.6.7", "International address needs SMTPUTF8");
    public static readonly SmtpReply HelloFirst = new(503, "5.5.1", "Say hello first");
    public static readonly SmtpReply NestedMail = new(503, "5.5.1", "Nested MAIL command");
    public static readonly SmtpReply MailFirst = new(503, "5.5.1", "Need MAIL command");
    public static readonly SmtpReply NoValidRecipients = new(554, "5.5.1", "No valid recipients");
    public static readonly SmtpReply TlsNotAvailable = new(502, "5.5.1", "STARTTLS not available");
    public static readonly SmtpReply AlreadySecure = new(503, "5.5.1", "TLS already active");
    public static readonly SmtpReply TooManyRecipients = new(452, "4.5.3", "Too many recipients");
    public static readonly SmtpReply RelayDenied = new(550, "5.7.1", "Relay access denied: not a local domain");
    public static readonly SmtpReply UnknownUser = new(550, "5.1.1", "No such user here");
    public static readonly SmtpReply LookupFailed = new(451, "4.3.0", "Cannot look the user up now, try again later");
    public static readonly SmtpReply SizeExceeded = new(552, "5.3.4", "Message size exceeds fixed maximum message size");
    public static readonly SmtpReply BareLf = new(550, "5.5.2", "Message refused: bare <LF> received (lines must end with <CR><LF>)");
    public static readonly SmtpReply BareCr = new(550, "5.5.2", "Message refused: bare <CR> received (lines must end with <CR><LF>)");
    public static readonly SmtpReply OverQuota = new(452, "4.2.2", "Mailbox full, try again later");
    public static readonly SmtpReply TemporaryFailure = new(451, "4.3.0", "Temporary failure storing the message, try again later");
    public static readonly SmtpReply PermanentFailure = new(554, "5.3.0", "The message could not be stored");
    public static readonly SmtpReply TooManyErrors = new(421, "4.7.0", "Too many errors, closing connection");
    public static readonly SmtpReply TooManyConnections = new(421, "4.7.0", "Too many connections from your address");
    public static readonly SmtpReply Timeout = new(421, "4.4.2", "Timeout, closing connection");
    public static readonly SmtpReply ShuttingDown = new(421, "4.3.2", "Service shutting down, try again later");
    public static readonly SmtpReply TlsFailed = new(454, "4.7.0", "TLS not available due to temporary reason");
}
