namespace Postino.Server.Hosting;

/// <summary>Options that cannot work; each error names the option ("Pop3:IdleTimeout: ...") and the problem.</summary>
public sealed class PostinoOptionsException : Exception
{
    public PostinoOptionsException(IReadOnlyList<string> errors)
        : base("invalid configuration: " + string.Join("; ", errors ?? []))
    {
        Errors = errors ?? [];
    }

    public PostinoOptionsException()
        : this([])
    {
    }

    public PostinoOptionsException(string message)
        : this([message])
    {
    }

    public PostinoOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public IReadOnlyList<string> Errors { get; }

    public static void ThrowIfInvalid(IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count > 0)
        {
            throw new PostinoOptionsException(errors);
        }
    }
}
