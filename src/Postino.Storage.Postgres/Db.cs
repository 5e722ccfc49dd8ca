using Npgsql;

namespace Postino.Storage.Postgres;

/// <summary>Turns database failures into the store's own exception, so sessions answer [SYS/TEMP] and MTAs retry.</summary>
internal static class Db
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception exception) when (IsDatabaseFailure(exception))
        {
            throw new StorageException($"the mail database failed: {exception.Message}", exception);
        }
    }

    public static bool IsDatabaseFailure(Exception exception) =>
        exception is NpgsqlException or IOException or TimeoutException
        || (exception is InvalidOperationException && exception.Source == "Npgsql");
}

/// <summary>Folder names as the store keeps them: the inbox is always 'INBOX'.</summary>
internal static class Folders
{
    public const string Inbox = "INBOX";

    /// <summary>The stored name, or null when the name is not one a folder may have (as the Maildir store rules).</summary>
    public static string? Normalize(string? folder)
    {
        if (folder is null || folder.Equals(Inbox, StringComparison.OrdinalIgnoreCase))
        {
            return Inbox;
        }

        return folder.Length is 0 or > 255
            || folder.StartsWith('.')
            || folder.EndsWith('.')
            || folder.Contains("..", StringComparison.Ordinal)
            || folder.Contains('/', StringComparison.Ordinal)
            || folder.Contains('\\', StringComparison.Ordinal)
            || folder.Any(char.IsControl)
            ? null
            : folder;
    }
}
