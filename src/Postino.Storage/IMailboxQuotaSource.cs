namespace Postino.Storage;

/// <summary>Tells a store the quota of a user's mailbox (server default, users file).</summary>
public interface IMailboxQuotaSource
{
    ValueTask<MailboxQuota> GetQuotaAsync(string user, CancellationToken cancellationToken);
}
