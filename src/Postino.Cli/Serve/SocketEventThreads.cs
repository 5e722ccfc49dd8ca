namespace Postino.Cli.Serve;

/// <summary>
/// Has .NET run socket completions on its event threads (one per processor with this setting) instead of handing each
/// to the thread pool. With Kestrel's inline scheduling (PostinoServerBuilder) a POP3 request is then read, handled and
/// answered on the one thread that saw its bytes arrive; whatever may block moves to the pool first
/// (Postino.Storage.Threading.OffEventLoop). The switch is an environment variable that .NET reads once, when the
/// first socket is made, so it is set before anything else in <c>serve</c>; an operator's own value, such as 0 to
/// go back to the pool, is left as it is.
/// </summary>
internal static class SocketEventThreads
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void Enable() => Enable(Environment.GetEnvironmentVariable, Environment.SetEnvironmentVariable);

    /// <summary>The same on any environment (tests must not switch their own process's sockets).</summary>
    internal static void Enable(Func<string, string?> read, Action<string, string> write)
    {
        if (read(Variable) is null)
        {
            write(Variable, "1");
        }
    }
}
