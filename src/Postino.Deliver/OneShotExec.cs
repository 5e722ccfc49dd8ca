using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Postino.Deliver;

/// <summary>
/// A PostgreSQL store is delivered by <c>postino-oneshot deliver</c>, the NativeAOT program with the store
/// (src/Postino.OneShot), installed beside this one (/usr/lib/postino): this process becomes it (execv, same process,
/// same standard input not yet read, same arguments). postino-deliver itself holds no PostgreSQL code, so a Maildir
/// delivery starts a small image.
/// </summary>
internal static partial class OneShotExec
{
    public const string FileName = "postino-oneshot";

    /// <summary>Does not return: the process is replaced, or a <see cref="Cli.Configuration.ConfigurationProblem"/> or an IOException says why not.</summary>
    [DoesNotReturn]
    public static string Deliver()
    {
        var path = Path.Combine(AppContext.BaseDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new Cli.Configuration.ConfigurationProblem($"Store: a PostgreSQL store is delivered by {FileName}, not found at {path}");
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
