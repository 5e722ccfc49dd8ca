using System.Collections.Concurrent;
using Postino.Storage;
using Postino.Storage.Users;

namespace Postino.Testing;

/// <summary>
/// A user directory held in memory. It can be told to fail as an unreadable users file does, for every lookup
/// (<see cref="Failure"/>) or for some names (<see cref="FailingNames"/>), and counts its lookups.
/// </summary>
public sealed class MemoryUserDirectory : IUserDirectory
{
    private readonly ConcurrentDictionary<string, UserRecord> _users = new(StringComparer.Ordinal);
    private int _lookups;

    public MemoryUserDirectory()
    {
    }

    public MemoryUserDirectory(params UserRecord[] users)
    {
        foreach (var user in users)
        {
            Set(user);
        }
    }

    /// <summary>Users by name alone, each with the secret "{PLAIN}x" and the home folder /home/NAME.</summary>
    public MemoryUserDirectory(params string[] names)
        : this([.. names.Select(name => User(name))])
    {
    }

    /// <summary>Thrown by every lookup when set.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Names whose lookup fails with a <see cref="StorageException"/>, as an unreadable users file would.</summary>
    public HashSet<string> FailingNames { get; } = new(StringComparer.Ordinal);

    public int Lookups => _lookups;

    /// <summary>A user record with the defaults tests take when they do not care.</summary>
    public static UserRecord User(string name, string storedPassword = "{PLAIN}x", string? home = null) =>
        new(name, storedPassword, "1000", "1000", string.Empty, home ?? $"/home/{name}", string.Empty, new Dictionary<string, string>());

    /// <summary>Adds or replaces a user with this stored secret ("{PLAIN}..." or any other scheme).</summary>
    public void Add(string name, string storedPassword) => Set(User(name, storedPassword));

    /// <summary>Adds or replaces a user, as <c>postino user add|passwd</c> would in the file.</summary>
    public void Set(UserRecord user) => _users[user.Name] = user;

    /// <summary>Removes a user, as <c>postino user remove</c> would.</summary>
    public void Remove(string name) => _users.TryRemove(name, out _);

    public ValueTask<UserRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lookups);
        if (Failure is { } failure)
        {
            return ValueTask.FromException<UserRecord?>(failure);
        }

        if (FailingNames.Contains(name))
        {
            throw new StorageException("users file unreadable");
        }

        return ValueTask.FromResult(_users.GetValueOrDefault(name));
    }
}
