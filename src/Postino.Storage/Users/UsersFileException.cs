namespace Postino.Storage.Users;

/// <summary>The users file cannot be used: a malformed line, an unknown scheme, or an I/O failure.</summary>
public sealed class UsersFileException : Exception
{
    public UsersFileException()
    {
    }

    public UsersFileException(string message)
        : base(message)
    {
    }

    public UsersFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UsersFileException(string path, int lineNumber, string problem)
        : base($"{path}:{lineNumber}: {problem}")
    {
        FilePath = path;
        LineNumber = lineNumber;
    }

    /// <summary>The users file, when the problem is in one of its lines.</summary>
    public string? FilePath { get; }

    /// <summary>The 1-based line number, or 0 when the problem is not in one line.</summary>
    public int LineNumber { get; }
}
