namespace Postino.Storage.Maildir;

/// <summary>
/// Group commit of directory fsyncs: concurrent deliveries into one directory share a sync instead of queueing one
/// each. A caller's entry (its rename) is made before it asks; only a sync that starts after the ask can cover it, so
/// a caller that arrives while a sync runs waits for the next one, which starts as soon as the running one ends and
/// covers everyone who asked meanwhile. No caller returns before a sync that covers its entry has succeeded; a failed
/// sync fails everyone who waited on it.
/// </summary>
internal sealed class GroupDirectorySync(Action<string> sync)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private long _syncs;

    public GroupDirectorySync()
        : this(Files.DurableFiles.SyncDirectory)
    {
    }

    /// <summary>How many syncs were run (fewer than the callers when deliveries overlap).</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    public Task SyncAsync(string directory)
    {
        lock (_gate)
        {
            if (_groups.TryGetValue(directory, out var group))
            {
                group.Next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return group.Next.Task;
            }

            group = new Group();
            _groups.Add(directory, group);
            var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = Task.Run(() => Run(directory, group, first));
            return first.Task;
        }
    }

    private void Run(string directory, Group group, TaskCompletionSource current)
    {
        while (true)
        {
            try
            {
                Interlocked.Increment(ref _syncs);
                sync(directory);
                current.SetResult();
            }
            catch (Exception exception)
            {
                current.SetException(exception);
            }

            lock (_gate)
            {
                if (group.Next is null)
                {
                    _groups.Remove(directory);
                    return;
                }

                current = group.Next;
                group.Next = null;
            }
        }
    }

    private sealed class Group
    {
        /// <summary>The callers who asked while a sync ran: the next sync is theirs.</summary>
        public TaskCompletionSource? Next { get; set; }
    }
}
