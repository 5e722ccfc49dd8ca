using System.Runtime.InteropServices;

namespace Postino.Server.Hosting;

/// <summary>
/// The process's limit on open descriptors (RLIMIT_NOFILE): read by <see cref="DescriptorBudget"/>, and raised at the
/// start of <c>serve</c> from the soft to the hard limit, since every session holds its socket and the usual soft limit of 1024 would refuse sessions long before memory runs out. Linux only;
/// elsewhere, or when a call fails, nothing is known and nothing changes.
/// </summary>
public static class OpenFileLimit
{
    private const int NoFile = 7; // RLIMIT_NOFILE on Linux

    /// <summary>The soft limit now, or null when it cannot be read.</summary>
    public static ulong? Current() => TryGet(out var limit) ? limit.Current : null;

    /// <summary>Raises the soft limit to the hard one; returns (before, after) soft limits, or null when unknown.</summary>
    public static (ulong Before, ulong After)? RaiseToHardLimit()
    {
        if (!TryGet(out var limit))
        {
            return null;
        }

        var before = limit.Current;
        if (limit.Current < limit.Maximum)
        {
            var raised = limit with { Current = limit.Maximum };
            if (SetRLimit(NoFile, ref raised) == 0)
            {
                return (before, raised.Current);
            }
        }

        return (before, before);
    }

    private static bool TryGet(out RLimit limit)
    {
        limit = default;
        return OperatingSystem.IsLinux() && GetRLimit(NoFile, ref limit) == 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private record struct RLimit(ulong Current, ulong Maximum);

    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static extern int GetRLimit(int resource, ref RLimit limit);

    [DllImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static extern int SetRLimit(int resource, ref RLimit limit);
}
