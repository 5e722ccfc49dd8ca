namespace Postino.Cli.Serve;

/// <summary>
/// Has .NET run socket completions on its event threads instead of handing each to the thread pool. With the socket
/// transport's inline pipes (Postino.Server.Hosting.Sockets) a POP3 request is then read, handled and answered on the
/// one thread that saw its bytes arrive; whatever may block moves to the pool first
/// (Postino.Storage.Threading.OffEventLoop). And it runs one event thread per two processors, not .NET's one per
/// processor: the pool keeps the other half for what moves there (disk, LMTP, hashing), and fewer event threads
/// sleep and wake less: on the 2-core benchmark machine one event thread took a POP3S session's server CPU down by
/// about 10 % with no loss of throughput (bench/README.md, eleventh pass).
/// Both switches are environment variables that .NET reads once, when the first socket is made, so they are set
/// before anything else in <c>serve</c>; an operator's own value, such as 0 to go back to the pool, is left as it is.
/// </summary>
internal static class SocketEventThreads
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public const string CountVariable = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    public static void Enable() => Enable(Environment.GetEnvironmentVariable, Environment.SetEnvironmentVariable, Environment.ProcessorCount);

    /// <summary>The same on any environment (tests must not switch their own process's sockets).</summary>
    internal static void Enable(Func<string, string?> read, Action<string, string> write, int processors)
    {
        if (read(Variable) is null)
        {
            write(Variable, "1");
        }

        if (read(CountVariable) is null)
        {
            write(CountVariable, Math.Max(1, processors / 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
