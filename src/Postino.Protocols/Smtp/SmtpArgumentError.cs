namespace Postino.Protocols.Smtp;

/// <summary>Why a MAIL or RCPT argument was refused; the session turns it into a reply.</summary>
public enum SmtpArgumentError
{
    None,

    /// <summary>The argument is not <c>FROM:&lt;path&gt;</c> / <c>TO:&lt;path&gt;</c> (501 5.5.4).</summary>
    Syntax,

    /// <summary>The path is not a mailbox (501 5.1.7 for a sender, 501 5.1.3 for a recipient).</summary>
    BadAddress,

    /// <summary>A parameter this server does not offer (555 5.5.4).</summary>
    UnknownParameter,

    /// <summary>A known parameter with a malformed value (501 5.5.4).</summary>
    BadParameterValue,
}
