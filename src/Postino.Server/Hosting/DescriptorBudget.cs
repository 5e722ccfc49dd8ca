namespace Postino.Server.Hosting;

/// <summary>
/// The connections every listener together may hold so that the process never runs out of file descriptors. When it
/// does, the .NET runtime itself fails (it needs descriptors to start a thread) and the whole server dies with "Out of
/// memory." after a flood of connections: that was seen with 109 silent connections under a limit of 300, and at
/// 9,891 logged-in sessions under 20,000 (when each session also held a lock file). A connection now holds one
/// descriptor, its socket, however long it stays logged in (mailbox locks are bytes of one shared lock file,
/// <c>MaildirLockFile</c>); a session busy with a command holds another for a moment (the message file a RETR or TOP
/// is sending, a directory being listed, a delivery's temporary file and folder fsyncs). So admission counts one
/// descriptor per connection and keeps a quarter of the limit, at least 256, in reserve for the runtime, the listening
/// sockets and those transient files: under the 20,000 of a default container, room for 15,000 connections with 5,000
/// files open at once (a third of the connections each reading a message). Beyond that a file open fails with EMFILE,
/// which answers that one command with <c>[SYS/TEMP]</c>; the listeners and the runtime keep the reserve's floor.
/// </summary>
public sealed class DescriptorBudget
{
    /// <summary>Descriptors counted for one connection: its socket (its mailbox lock costs none).</summary>
    public const int PerConnection = 1;

    /// <summary>The reserve is a quarter of the limit, and never less than 256 (the runtime alone holds about 190).</summary>
    private const int ReserveDivisor = 4;

    private const int MinimumReserve = 256;
    private int _held;

    /// <param name="capacity">Connections allowed at once; at least 1.</param>
    public DescriptorBudget(int capacity) => Capacity = Math.Max(1, capacity);

    /// <summary>The budget of this process from its open-file limit as it is now (read after the CLI raised it).</summary>
    public static DescriptorBudget ForProcess() => new(CapacityFor(OpenFileLimit.Current()));

    /// <summary>Connections allowed at once (<see cref="int.MaxValue"/> when the limit is unknown or unlimited).</summary>
    public int Capacity { get; }

    /// <summary>Connections holding a share now.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>The connections a soft limit of <paramref name="limit"/> descriptors allows; null means unknown.</summary>
    public static int CapacityFor(ulong? limit)
    {
        if (limit is not { } known || known >= int.MaxValue)
        {
            return int.MaxValue;
        }

        return (int)Math.Max(1, ((long)known - ReserveFor(known)) / PerConnection);
    }

    /// <summary>The descriptors kept out of the budget under a limit of <paramref name="limit"/>.</summary>
    public static long ReserveFor(ulong limit) => Math.Max(MinimumReserve, (long)Math.Min(limit, long.MaxValue) / ReserveDivisor);

    /// <summary>Takes a share for one connection, or false when the process is at its budget.</summary>
    public bool TryAcquire()
    {
        if (Interlocked.Increment(ref _held) <= Capacity)
        {
            return true;
        }

        Interlocked.Decrement(ref _held);
        return false;
    }

    /// <summary>Gives back a share taken by <see cref="TryAcquire"/>.</summary>
    public void Release() => Interlocked.Decrement(ref _held);
}
