namespace Postino.Server.Smtp;

/// <summary>SMTP (one reply after DATA, local domains only) or LMTP (LHLO, one reply per recipient after DATA).</summary>
public enum MailTransferDialect
{
    Smtp,
    Lmtp,
}
