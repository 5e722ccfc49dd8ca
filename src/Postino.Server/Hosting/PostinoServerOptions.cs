using Postino.Storage;

namespace Postino.Server.Hosting;

/// <summary>Server-wide options (config section "Server").</summary>
public sealed class PostinoServerOptions
{
    /// <summary>The name the server gives itself in greetings (and in APOP timestamps).</summary>
    public string HostName { get; set; } = LocalHostName.Default;

    /// <summary>At shutdown, how long running sessions may go on before they are closed without committing.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the process checks whether many connections closed and, if so, gives the memory they used back to
    /// the kernel (<see cref="MemoryTrimmer"/>); zero turns that off.
    /// </summary>
    public TimeSpan MemoryTrimInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Problems with these options, each naming the option.</summary>
    public IReadOnlyList<string> Validate(string section = "Server")
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(HostName) || HostName.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '<' or '>' or '@'))
        {
            errors.Add($"{section}:HostName: must be a host name without spaces or control characters (got \"{HostName}\")");
        }

        if (ShutdownGracePeriod < TimeSpan.Zero || ShutdownGracePeriod > TimeSpan.FromHours(1))
        {
            errors.Add($"{section}:ShutdownGracePeriod: must be between 0 and 1 hour (got {ShutdownGracePeriod})");
        }

        if (MemoryTrimInterval < TimeSpan.Zero || MemoryTrimInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"{section}:MemoryTrimInterval: must be between 0 (off) and 1 hour (got {MemoryTrimInterval})");
        }

        return errors;
    }
}
