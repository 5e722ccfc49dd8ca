using System.Diagnostics;

namespace Postino.Cli.Fetch;

/// <summary>Where an account's password comes from; read once, when the fetch needs it, and never printed.</summary>
internal static class PasswordSource
{
    public static Func<CancellationToken, Task<string>> Fixed(string password) => _ => Task.FromResult(password);

    /// <summary>The first line of a file (a trailing newline is not part of the password).</summary>
    public static Func<CancellationToken, Task<string>> File(string path) => async ct =>
        FirstLine(await System.IO.File.ReadAllTextAsync(path, ct));

    /// <summary>The first line of standard input, read once and remembered (daemon mode polls many times).</summary>
    public static Func<CancellationToken, Task<string>> StandardInput()
    {
        string? cached = null;
        return async ct => cached ??= FirstLine(await Console.In.ReadLineAsync(ct) ?? string.Empty);
    }

    /// <summary>The first output line of <c>/bin/sh -c COMMAND</c> (pass, secret-tool, gpg ...); a non-zero exit fails.</summary>
    public static Func<CancellationToken, Task<string>> Command(string command) => async ct =>
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot run the password command {command}");
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The password command exited with {process.ExitCode}.");
        }

        return FirstLine(output);
    };

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
