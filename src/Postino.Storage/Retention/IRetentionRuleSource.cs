namespace Postino.Storage.Retention;

/// <summary>Gives the retention rule of a user's mailbox (server default, the user's domain, the user).</summary>
public interface IRetentionRuleSource
{
    ValueTask<RetentionRule> GetRuleAsync(string user, CancellationToken cancellationToken);
}
