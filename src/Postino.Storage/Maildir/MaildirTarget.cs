namespace Postino.Storage.Maildir;

/// <summary>One recipient of a delivery: whose, which folder (created), and the quota it is checked against.</summary>
internal sealed record MaildirTarget(string User, MaildirFolder Folder, MailboxQuota Quota);
