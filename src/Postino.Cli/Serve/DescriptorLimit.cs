using System.Runtime.InteropServices;

namespace Postino.Cli.Serve;

/// <summary>
/// Raises the soft limit on open descriptors (RLIMIT_NOFILE) to the hard limit at start: every session holds its
/// socket (and, while logged in, its mailbox lock), so the usual soft limit of 1024 would refuse sessions long before
/// memory runs out. Linux only; elsewhere, or when it fails, the limit is left as it is.
/// </summary>
internal static class DescriptorLimit
{
    private const int NoFile = 7; // RLIMIT_NOFILE on Linux

    /// <summary>Returns (before, after) soft limits, or null when they could not be read.</summary>
    public static (ulong Before, ulong After)? RaiseToHardLimit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var limit = new RLimit();
        if (GetRLimit(NoFile, ref limit) != 0)
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

    [StructLayout(LayoutKind.Sequential)]
    private record struct RLimit(ulong Current, ulong Maximum);

    // DllImport, not LibraryImport: the struct is blittable, and this project does not allow unsafe code.
    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static extern int GetRLimit(int resource, ref RLimit limit);

    [DllImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static extern int SetRLimit(int resource, ref RLimit limit);
}
