namespace Postino.Cli.Configuration;

/// <summary>The <c>Mail</c> section: where Maildirs are and the server-wide quota.</summary>
internal sealed class MailSettings
{
    /// <summary>A Maildir location template (<c>%h/Maildir</c>, <c>/var/mail/%u</c>); default DATA/mail/USER/Maildir or HOME/Maildir.</summary>
    public string? Location { get; set; }

    /// <summary>Server default quota in bytes per mailbox (null or 0: unlimited); a user's own field wins.</summary>
    public long? QuotaBytes { get; set; }

    /// <summary>Server default quota in messages per mailbox (null or 0: unlimited).</summary>
    public long? QuotaMessages { get; set; }
}
