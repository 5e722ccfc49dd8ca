namespace Postino.Server.Smtp;

/// <summary>The command states of an SMTP or LMTP session (RFC 5321 4.1.4, RFC 2033 4.2).</summary>
public enum MailTransferState
{
    /// <summary>Greeting sent (or TLS just started): waiting for EHLO/HELO (SMTP) or LHLO (LMTP).</summary>
    Connected,

    /// <summary>The client greeted; no mail transaction is open.</summary>
    Greeted,

    /// <summary>MAIL was accepted: RCPT and DATA may follow.</summary>
    Transaction,
}
