using Postino.Storage.Users;

namespace Postino.Storage.Retention;

/// <summary>The users of the users file, for the periodic sweep.</summary>
public sealed class UsersFileUserLister(UsersFile users) : IUserLister
{
    public async ValueTask<IReadOnlyList<string>> ListUserNamesAsync(CancellationToken cancellationToken) =>
        [.. (await users.ListAsync(cancellationToken)).Select(u => u.Name)];
}
