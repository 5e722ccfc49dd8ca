namespace Postino.Server.Hosting;

/// <summary>
/// The connections every listener together may hold so that the process never runs out of file descriptors. When it
/// does, the .NET runtime itself fails (it needs descriptors to start a thread) and the whole server dies with "Out of
/// memory." after a flood of connections: that was seen with 109 silent connections under a limit of 300, and at
/// 9,891 logged-in sessions under 20,000. So admission counts each connection as two descriptors (its socket and, once
/// logged in, its mailbox lock) and keeps a reserve (an eighth of the limit, at least 256) for the runtime, listening
/// sockets, message files being read, directory listings and deliveries.
/// </summary>
public sealed class DescriptorBudget
{
    /// <summary>Descriptors counted for one connection: its socket and its mailbox lock.</summary>
    public const int PerConnection = 2;

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

        var reserve = Math.Max(MinimumReserve, (long)known / 8);
        return (int)Math.Max(1, ((long)known - reserve) / PerConnection);
    }

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
