using System.Runtime.InteropServices;

namespace Postino.Deliver;

/// <summary>
/// A PostgreSQL store is delivered by the full <c>postino deliver</c>: this process becomes <c>postino</c> (execv,
/// same process, same standard input not yet read, same arguments), installed beside this one (/usr/lib/postino).
/// </summary>
internal static partial class FullCli
{
    public const string FileName = "postino";

    public static void ExecDeliver()
    {
        var path = Path.Combine(AppContext.BaseDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new Cli.Configuration.ConfigurationProblem($"Store: a PostgreSQL store is delivered by the full postino command, not found at {path}");
        }

        string?[] argv = [path, "deliver", .. Environment.GetCommandLineArgs().Skip(1), null];
        Console.Out.Flush();
        Console.Error.Flush();
        Exec(path, argv);
        throw new IOException($"cannot run {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Exec(string path, string?[] argv);
}
