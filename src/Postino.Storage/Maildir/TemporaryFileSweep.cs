using System.Collections.Concurrent;

namespace Postino.Storage.Maildir;

/// <summary>
/// When a login looks in a Maildir's <c>tmp/</c> for what a crashed delivery left: at the first login of the folder
/// in this process, then at most once per <see cref="Interval"/>. A leftover may only be removed after 36 hours, so
/// looking at every login (a stat, an open, two getdents and a close each time) found nothing new between two looks an
/// hour apart. Dovecot does the same with the folder's access time; this keeps the time in memory.
/// </summary>
internal sealed class TemporaryFileSweep(TimeProvider time)
{
    /// <summary>The longest a folder goes without a look while it is in use.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Folders remembered at most: past it the memory starts again (each folder is then looked at once more).</summary>
    internal const int MaxFolders = 65_536;

    private readonly ConcurrentDictionary<string, long> _lastLook = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="root"/>'s <c>tmp/</c> is due a look, which is then counted as done.</summary>
    public bool IsDue(string root)
    {
        var now = time.GetTimestamp();
        if (_lastLook.TryGetValue(root, out var last) && time.GetElapsedTime(last, now) < Interval)
        {
            return false;
        }

        if (_lastLook.Count >= MaxFolders)
        {
            _lastLook.Clear();
        }

        _lastLook[root] = now;
        return true;
    }
}
