namespace Postino.Server.Hosting;

/// <summary>
/// When <see cref="MemoryTrimmer"/> gives memory back: after the connections held by the process dropped, since the
/// last trim, from the most seen to now by at least a quarter of that most and by at least <see cref="MinimumDrop"/>.
/// Traffic that opens connections as fast as it closes them never trims (a trim costs a full collection, a walk of
/// every malloc arena and page faults when the pages are used again); the end of a wave of idle sessions trims once.
/// </summary>
public sealed class MemoryTrimPolicy
{
    /// <summary>Fewer closed connections than this free too little to be worth a trim (a few MB at most).</summary>
    public const int MinimumDrop = 256;

    private int _peak;

    /// <summary>Takes the connections held now (sampled at each tick); true when a trim is due now.</summary>
    public bool ShouldTrim(int held)
    {
        _peak = Math.Max(_peak, held);
        var drop = _peak - held;
        if (drop < MinimumDrop || drop < _peak / 4)
        {
            return false;
        }

        _peak = held;
        return true;
    }
}
