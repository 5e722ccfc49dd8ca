using System.Runtime.InteropServices;

namespace Postino.Server.Hosting;

/// <summary>
/// glibc's malloc, which holds every TLS session's OpenSSL state (the SSL object, its record buffers and memory BIOs:
/// about 30 KB per idle POP3S session). When sessions close, malloc keeps the freed memory in its arenas: it gives back
/// only the free top of each arena, and a free chunk between live ones stays resident, so after 10,000 sessions came
/// and went the process held hundreds of MB that no one used, and each new wave of sessions (on other threads, hence
/// other arenas) added more (bench/README.md, issue 12). <see cref="Trim"/> hands the free pages of every arena back to
/// the kernel (<c>malloc_trim(0)</c>, which since glibc 2.8 also releases whole free pages inside an arena). Found
/// at run time: on another C library (musl has no <c>malloc_trim</c>) or another system it does nothing.
/// </summary>
public static class NativeHeap
{
    private static int _missing = OperatingSystem.IsLinux() ? 0 : 1;

    /// <summary>Gives the free pages of malloc's arenas back to the kernel; true when some memory was released.</summary>
    public static bool Trim()
    {
        if (Volatile.Read(ref _missing) != 0)
        {
            return false;
        }

        try
        {
            return MallocTrim(0) != 0;
        }
        catch (Exception exception) when (exception is EntryPointNotFoundException or DllNotFoundException)
        {
            Volatile.Write(ref _missing, 1);
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
