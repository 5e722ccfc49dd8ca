namespace Postino.Testing;

/// <summary>How a program ended and what it printed; deconstructs to (exit, stdout, stderr) or (exit, both).</summary>
public sealed record ProgramResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard output then standard error, for assertions and failure messages.</summary>
    public string Output => Stdout + Stderr;

    public void Deconstruct(out int exitCode, out string output)
    {
        exitCode = ExitCode;
        output = Output;
    }
}
