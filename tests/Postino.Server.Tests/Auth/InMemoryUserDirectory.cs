using Postino.Storage.Users;

namespace Postino.Server.Tests.Auth;

/// <summary>A user directory held in memory, that can be told to fail like an unreadable users file.</summary>
internal sealed class InMemoryUserDirectory(params UserRecord[] users) : IUserDirectory
{
    private readonly Dictionary<string, UserRecord> users = users.ToDictionary(user => user.Name, StringComparer.Ordinal);

    public Exception? Failure { get; set; }

    public int Lookups { get; private set; }

    /// <summary>Adds or replaces a user, as <c>postino user add|passwd</c> would in the file.</summary>
    public void Set(UserRecord user) => users[user.Name] = user;

    /// <summary>Removes a user, as <c>postino user remove</c> would.</summary>
    public void Remove(string name) => users.Remove(name);

    public ValueTask<UserRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        Lookups++;
        return Failure is { } failure
            ? ValueTask.FromException<UserRecord?>(failure)
            : ValueTask.FromResult(users.GetValueOrDefault(name));
    }
}
