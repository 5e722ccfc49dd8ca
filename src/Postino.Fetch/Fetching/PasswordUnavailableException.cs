namespace Postino.Fetch.Fetching;

/// <summary>The account's password could not be obtained (unreadable file, failing password command).</summary>
public class PasswordUnavailableException : Exception
{
    public PasswordUnavailableException()
    {
    }

    public PasswordUnavailableException(string message)
        : base(message)
    {
    }

    public PasswordUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Asks the account for its password, turning any failure of the source into this exception.</summary>
    internal static async Task<string> GetAsync(FetchAccount account, CancellationToken cancellationToken)
    {
        try
        {
            return await account.Password(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new PasswordUnavailableException($"Cannot get the password of {account.Name}: {exception.Message}", exception);
        }
    }
}
