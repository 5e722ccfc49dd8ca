namespace Postino.Server.Smtp;

/// <summary>Options of the inbound SMTP listener (RFC 5321, mail for local domains only).</summary>
public sealed class SmtpOptions : MailTransferOptions
{
    /// <summary>
    /// The domains mail is accepted for. Recipients in any other domain get 550 5.7.1: Postino never relays.
    /// </summary>
    public IList<string> LocalDomains { get; } = ["localhost"];

    public override bool AddReceived { get; set; } = true;

    public override bool UnknownRecipientPenalty { get; set; } = true;
}
