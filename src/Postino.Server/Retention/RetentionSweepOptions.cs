namespace Postino.Server.Retention;

/// <summary>The periodic retention sweep inside the server.</summary>
public sealed record RetentionSweepOptions
{
    /// <summary>Time between sweeps (the first runs one interval after the start). Default: one hour.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>False turns the periodic sweep off (<c>postino expire</c> from cron still works).</summary>
    public bool Enabled { get; init; } = true;
}
