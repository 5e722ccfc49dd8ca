namespace Postino.Storage.Retention;

/// <summary>One message the sweeper removed (or, in a dry run, would remove).</summary>
public sealed record ExpiredMessage(string User, string Uidl, TimeSpan Age, string Reason);

/// <summary>What one sweep did, per mailbox.</summary>
public sealed record RetentionSweepReport(
    IReadOnlyList<ExpiredMessage> Expired,
    IReadOnlyList<string> SkippedInUse,
    IReadOnlyList<(string User, string Problem)> Failed,
    bool DryRun)
{
    public int MailboxesSwept { get; init; }
}
