using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Postino.Storage.Retention;

/// <summary>
/// Removes expired messages from users' inboxes. It takes the same lock a session takes, so it never touches a mailbox
/// a session holds (that one is skipped and reported, and swept next time); it works on a snapshot and deletes only
/// the messages of the snapshot it found expired, so mail that arrives meanwhile is never touched; it logs each removal.
/// </summary>
public sealed class RetentionSweeper(
    IMailStore store,
    IRetentionRuleSource rules,
    TimeProvider? time = null,
    ILogger<RetentionSweeper>? logger = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>Runs after a mailbox's snapshot is taken and before its commit (tests deliver mail here).</summary>
    internal Func<string, CancellationToken, ValueTask>? AfterSnapshot { get; set; }

    /// <summary>Sweeps the inboxes of <paramref name="users"/>; a dry run reports what would go and changes nothing.</summary>
    public async Task<RetentionSweepReport> SweepAsync(IEnumerable<string> users, bool dryRun, CancellationToken cancellationToken)
    {
        var expired = new List<ExpiredMessage>();
        var inUse = new List<string>();
        var failed = new List<(string User, string Problem)>();
        var swept = 0;
        foreach (var user in users)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var rule = await rules.GetRuleAsync(user, cancellationToken);
                if (!rule.Expires || !await HasMailboxAsync(user, cancellationToken))
                {
                    continue;
                }

                var removed = await SweepMailboxAsync(user, rule, dryRun, cancellationToken);
                expired.AddRange(removed);
                swept++;
            }
            catch (MailboxInUseException)
            {
                _logger.LogInformation("Retention sweep skipped {User}: a session holds the mailbox", user);
                inUse.Add(user);
            }
            catch (StorageException exception)
            {
                _logger.LogError(exception, "Retention sweep of {User} failed", user);
                failed.Add((user, exception.Message));
            }
        }

        return new RetentionSweepReport(expired, inUse, failed, dryRun) { MailboxesSwept = swept };
    }

    private async ValueTask<bool> HasMailboxAsync(string user, CancellationToken cancellationToken) =>
        store is not IMailboxPresence presence || await presence.HasMailboxAsync(user, cancellationToken);

    private async ValueTask<List<ExpiredMessage>> SweepMailboxAsync(
        string user,
        RetentionRule rule,
        bool dryRun,
        CancellationToken cancellationToken)
    {
        var removed = new List<ExpiredMessage>();
        await using var maildrop = await store.OpenAsync(user, null, cancellationToken);
        var now = _time.GetUtcNow();
        for (var index = 0; index < maildrop.Messages.Count; index++)
        {
            var message = maildrop.Messages[index];
            if (rule.ExpiryReason(message, now) is { } reason)
            {
                removed.Add(new ExpiredMessage(user, message.Uidl, now - message.ReceivedAt, reason));
                maildrop.MarkDeleted(index);
            }
        }

        if (AfterSnapshot is { } hook)
        {
            await hook(user, cancellationToken);
        }

        if (removed.Count > 0 && !dryRun)
        {
            await maildrop.CommitAsync(cancellationToken);
        }

        foreach (var message in removed)
        {
            _logger.LogInformation(
                dryRun ? "Would expire message {Uidl} of {User}: {AgeDays:F1} days old, {Reason}" : "Expired message {Uidl} of {User}: {AgeDays:F1} days old, {Reason}",
                message.Uidl,
                user,
                message.Age.TotalDays,
                message.Reason);
        }

        return removed;
    }
}
