using Postino.Server.Smtp;

namespace Postino.Server.Lmtp;

/// <summary>
/// Options of the LMTP listener (RFC 2033). The MTA in front already added its Received header, so by default only
/// Return-Path is added here.
/// </summary>
public sealed class LmtpOptions : MailTransferOptions
{
    public override bool AddReceived { get; set; }

    public override bool UnknownRecipientPenalty { get; set; }
}
