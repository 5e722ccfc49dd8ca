namespace Postino.Storage.Users;

/// <summary>Looks users up (the users file by default).</summary>
public interface IUserDirectory
{
    /// <summary>The user, or null when there is none by that name (names are compared exactly).</summary>
    ValueTask<UserRecord?> FindAsync(string name, CancellationToken cancellationToken);
}
