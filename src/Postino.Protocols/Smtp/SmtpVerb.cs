namespace Postino.Protocols.Smtp;

/// <summary>The SMTP and LMTP command verbs Postino understands.</summary>
public enum SmtpVerb
{
    /// <summary>A verb Postino does not know (answered 500 5.5.1).</summary>
    Unknown,
    Helo,
    Ehlo,
    Lhlo,
    Mail,
    Rcpt,
    Data,
    Rset,
    Noop,
    Quit,
    Vrfy,
    Help,
    StartTls,
}
