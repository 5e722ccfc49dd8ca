using System.Diagnostics;

namespace Postino.Testing;

/// <summary>
/// Runs a program of the machine (postino itself through <c>dotnet</c>, python3, curl, the private Postfix and
/// Dovecot scripts) and collects what it printed.
/// </summary>
public static class ExternalProgram
{
    /// <param name="input">written to the program's standard input, which is then closed.</param>
    /// <param name="timeoutSeconds">a generous bound for a loaded machine, never a synchronisation.</param>
    public static async Task<ProgramResult> RunAsync(
        string program, IEnumerable<string> arguments, string? input = null, int timeoutSeconds = 120)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Throws (and so fails the test) when the program is missing: such a test must never pass without it.
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException(
                $"'{program}' is needed by this test and could not be started (scripts/install-*.sh install the peers): {exception.Message}", exception);
        }

        using var started = process;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(timeout.Token);
        try
        {
            return new ProgramResult(process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException)
        {
            // A daemon the program started inherited its output and keeps it open: the script must redirect it.
            throw new InvalidOperationException($"{program} exited ({process.ExitCode}) but something it started still holds its output");
        }
    }

    /// <summary><c>chown UID PATH</c> (needs root: the test command runs as root): a folder someone else made first.</summary>
    public static async Task ChangeOwnerAsync(string path, int uid)
    {
        var (exitCode, output) = await RunAsync("chown", [uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path]);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"chown {uid} {path} failed ({exitCode}; the tests run as root): {output}");
        }
    }
}
