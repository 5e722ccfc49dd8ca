using System.Runtime.ExceptionServices;

namespace Postino.Storage.Maildir;

/// <summary>
/// Group commit of directory fsyncs: concurrent deliveries into one directory share a sync instead of queueing one
/// each. A caller's entry (its rename) is made before it asks, so only a sync that starts after the ask can cover it:
/// a caller that arrives while no sync of the directory runs syncs it at once, on its own thread (no hand-off, no
/// added latency: one fsync, as without grouping); a caller that arrives while one runs joins the next one, which
/// starts as soon as the running one ends and covers everyone who joined meanwhile. No caller returns before a sync
/// that covers its entry has succeeded; a failed sync fails everyone who waited on it.
/// Bounded: a directory is in the table only while a sync of it runs (removed when it ends with nobody waiting), at
/// most <see cref="MaxDirectories"/> of them, and at most <see cref="MaxWaiters"/> callers join one sync; a caller
/// past either bound syncs the directory itself at once, which is as durable, only not shared.
/// </summary>
internal sealed class GroupDirectorySync
{
    private readonly Func<string, ValueTask> _sync;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private long _syncs;

    public GroupDirectorySync()
        : this(SyncNow)
    {
    }

    /// <param name="sync">syncs one directory (tests: a fake they complete when they choose).</param>
    /// <param name="maxDirectories">how many directories may have a sync running and shared at once.</param>
    /// <param name="maxWaiters">how many callers may join one directory's next sync.</param>
    public GroupDirectorySync(Func<string, ValueTask> sync, int maxDirectories = 4096, int maxWaiters = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDirectories, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWaiters, 1);
        _sync = sync;
        MaxDirectories = maxDirectories;
        MaxWaiters = maxWaiters;
    }

    public int MaxDirectories { get; }

    public int MaxWaiters { get; }

    /// <summary>How many syncs were run (fewer than the callers when deliveries overlap).</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>How many directories have a sync running now (0 when idle: the table keeps nothing).</summary>
    public int Directories
    {
        get
        {
            lock (_gate)
            {
                return _groups.Count;
            }
        }
    }

    /// <summary>How many callers wait for the next sync of <paramref name="directory"/> (tests).</summary>
    public int Waiting(string directory)
    {
        lock (_gate)
        {
            return _groups.TryGetValue(directory, out var group) ? group.Joined : 0;
        }
    }

    /// <summary>Returns once a sync of <paramref name="directory"/> that started after this call has succeeded.</summary>
    public ValueTask SyncAsync(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Group? group;
        lock (_gate)
        {
            if (_groups.TryGetValue(directory, out group))
            {
                if (group.Joined < MaxWaiters)
                {
                    group.Next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    group.Joined++;
                    return new ValueTask(group.Next.Task);
                }

                group = null;
            }
            else if (_groups.Count < MaxDirectories)
            {
                group = new Group();
                _groups.Add(directory, group);
            }
        }

        return group is null ? SyncAloneAsync(directory) : LeadAsync(directory, group);
    }

    private static ValueTask SyncNow(string directory)
    {
        Files.DurableFiles.SyncDirectory(directory);
        return ValueTask.CompletedTask;
    }

    private ValueTask SyncAloneAsync(string directory)
    {
        Interlocked.Increment(ref _syncs);
        return _sync(directory);
    }

    /// <summary>The first caller runs the sync itself; whoever joined meanwhile gets the next one on the thread pool.</summary>
    private async ValueTask LeadAsync(string directory, Group group)
    {
        ExceptionDispatchInfo? failure = null;
        try
        {
            await SyncAloneAsync(directory);
        }
        catch (Exception exception)
        {
            failure = ExceptionDispatchInfo.Capture(exception);
        }

        HandOver(directory, group);
        failure?.Throw();
    }

    /// <summary>After a sync: the directory leaves the table, or the callers who joined meanwhile get the next sync.</summary>
    private void HandOver(string directory, Group group)
    {
        TaskCompletionSource next;
        lock (_gate)
        {
            if (group.Next is null)
            {
                _groups.Remove(directory);
                return;
            }

            next = group.Next;
            group.Next = null;
            group.Joined = 0;
        }

        _ = Task.Run(() => RunForAsync(directory, group, next));
    }

    /// <summary>
    /// The table is updated before the waiters are released, so a caller that has returned never finds its directory
    /// still listed by a sync that is over (the same order as <see cref="LeadAsync"/>).
    /// </summary>
    private async Task RunForAsync(string directory, Group group, TaskCompletionSource waiters)
    {
        Exception? failure = null;
        try
        {
            await SyncAloneAsync(directory);
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        HandOver(directory, group);
        if (failure is null)
        {
            waiters.SetResult();
        }
        else
        {
            waiters.SetException(failure);
        }
    }

    private sealed class Group
    {
        /// <summary>The callers who asked while a sync ran: the next sync is theirs.</summary>
        public TaskCompletionSource? Next { get; set; }

        /// <summary>How many they are (bounded by <see cref="MaxWaiters"/>).</summary>
        public int Joined { get; set; }
    }
}
