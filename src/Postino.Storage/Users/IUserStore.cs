namespace Postino.Storage.Users;

/// <summary>A user directory that can be edited (<c>postino user</c>): the users file, or a database.</summary>
public interface IUserStore : IUserDirectory
{
    /// <summary>Where the users are, for messages (a file path, or a database without its password).</summary>
    string Location { get; }

    Task<IReadOnlyList<UserRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="user"/>; false (and nothing written) when the name is taken.</summary>
    Task<bool> AddAsync(UserRecord user, CancellationToken cancellationToken);

    /// <summary>Replaces user <paramref name="name"/> by <paramref name="change"/> of it; false when there is none.</summary>
    Task<bool> UpdateAsync(string name, Func<UserRecord, UserRecord> change, CancellationToken cancellationToken);

    /// <summary>Removes user <paramref name="name"/>; false when there is none.</summary>
    Task<bool> RemoveAsync(string name, CancellationToken cancellationToken);
}
