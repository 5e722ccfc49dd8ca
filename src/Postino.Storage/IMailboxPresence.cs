namespace Postino.Storage;

/// <summary>Tells whether a user has a mailbox yet, without creating one (the retention sweeper skips those without).</summary>
public interface IMailboxPresence
{
    ValueTask<bool> HasMailboxAsync(string user, CancellationToken cancellationToken);
}
