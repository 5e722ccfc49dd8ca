using System.Diagnostics;
using System.Globalization;

namespace Postino.Interop.Tests;

/// <summary>Signals for graceful-stop tests (Process.Kill only sends SIGKILL).</summary>
internal static class Posix
{
    public const string Sigterm = "TERM";
    public const string Sigkill = "KILL";

    public static void Kill(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -s {signal} {pid} failed");
        }
    }
}
