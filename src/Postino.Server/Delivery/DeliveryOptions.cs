namespace Postino.Server.Delivery;

/// <summary>The <c>Delivery</c> section: how recipient addresses map to users on LMTP, SMTP and <c>deliver</c>.</summary>
public sealed class DeliveryOptions
{
    /// <summary>
    /// Characters that start a recipient detail, as Postfix's and Dovecot's <c>recipient_delimiter</c>:
    /// <c>user+tag@example.org</c> is delivered to <c>user</c>. Each character is a delimiter; empty turns details off.
    /// </summary>
    public string RecipientDelimiter { get; set; } = "+";
}
