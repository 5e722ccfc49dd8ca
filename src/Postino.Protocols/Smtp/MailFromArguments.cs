namespace Postino.Protocols.Smtp;

/// <summary>A parsed <c>MAIL FROM:&lt;path&gt; [parameters]</c>.</summary>
/// <param name="ReversePath">The sender; null for the null reverse path <c>&lt;&gt;</c> (bounces).</param>
/// <param name="DeclaredSize">The SIZE= value (RFC 1870), if given.</param>
public sealed record MailFromArguments(SmtpAddress? ReversePath, long? DeclaredSize, SmtpBodyType Body, bool SmtpUtf8)
{
    /// <summary>The reverse path as it goes into Return-Path: <c>&lt;a@b&gt;</c> or <c>&lt;&gt;</c>.</summary>
    public string ReturnPath => $"<{ReversePath}>";
}
