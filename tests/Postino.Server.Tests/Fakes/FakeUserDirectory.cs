using System.Collections.Concurrent;
using Postino.Storage.Users;

namespace Postino.Server.Tests.Fakes;

/// <summary>Users by name with their stored secret ("{PLAIN}..." or any other scheme).</summary>
public sealed class FakeUserDirectory : IUserDirectory
{
    public ConcurrentDictionary<string, UserRecord> Users { get; } = new(StringComparer.Ordinal);

    public void Add(string name, string storedPassword) =>
        Users[name] = new UserRecord(name, storedPassword, "1000", "1000", "", "", "", new Dictionary<string, string>());

    public ValueTask<UserRecord?> FindAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Users.TryGetValue(name, out var user) ? user : null);
}
