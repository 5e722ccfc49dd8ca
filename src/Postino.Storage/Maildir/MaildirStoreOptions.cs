namespace Postino.Storage.Maildir;

/// <summary>Where the Maildirs live and how they are named.</summary>
public sealed record MaildirStoreOptions
{
    /// <summary>The data folder; mailboxes default to <c>DATA/mail/USER/Maildir</c>.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// A template for a user's Maildir, e.g. <c>%h/Maildir</c> or <c>/var/mail/%u</c>: see <see cref="MaildirLocator"/>.
    /// Null: <c>HOME/Maildir</c> when the user has a home in the users file, else <c>DATA/mail/USER/Maildir</c>.
    /// </summary>
    public string? LocationTemplate { get; init; }

    /// <summary>The host name written into new message file names (defaults to the machine's).</summary>
    public string HostName { get; init; } = LocalHostName.Default;
}
