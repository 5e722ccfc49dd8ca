namespace Postino.Fetch.Fetching;

/// <summary>Counters of one account's fetch, kept across retries of the same run.</summary>
internal sealed class RunTally
{
    public int Downloaded { get; set; }

    public long Octets { get; set; }

    public int Deleted { get; set; }

    public int AlreadyDownloaded { get; set; }

    public int LeftForLater { get; set; }

    public List<SkippedMessage> Skipped { get; } = [];

    public TimeSpan? LoginDelay { get; set; }

    /// <summary>Messages (UIDL, or <c>#msn</c>) the server sent beyond their announced size: passed over for the rest of the run.</summary>
    public HashSet<string> Overruns { get; } = new(StringComparer.Ordinal);

    /// <summary>Messages refused in this run, kept across reconnections.</summary>
    public List<SkippedMessage> Refused { get; } = [];

    /// <summary>Counts that describe one connection only, reset when a retry starts over.</summary>
    public void ResetPerConnection()
    {
        AlreadyDownloaded = 0;
        LeftForLater = 0;
        Skipped.Clear();
    }
}
