namespace Postino.Protocols.Smtp;

/// <summary>The BODY= parameter of MAIL FROM (RFC 6152).</summary>
public enum SmtpBodyType
{
    SevenBit,
    EightBitMime,
}
