namespace Postino.Fetch.State;

/// <summary>The state file cannot be used (locked by another fetch, or damaged).</summary>
public class FetchStateException : Exception
{
    public FetchStateException()
    {
    }

    public FetchStateException(string message)
        : base(message)
    {
    }

    public FetchStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
