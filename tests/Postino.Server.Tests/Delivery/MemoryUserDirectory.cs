using Postino.Storage;
using Postino.Storage.Users;

namespace Postino.Server.Tests.Delivery;

/// <summary>A fixed set of users; the name "lookupfail" makes the lookup itself fail.</summary>
internal sealed class MemoryUserDirectory(params string[] names) : IUserDirectory
{
    public static MemoryUserDirectory Standard() =>
        new("alice", "bob", "carol@example.org", "postmaster", "full", "broken", "perm", "lookupfail");

    public ValueTask<UserRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (name == "lookupfail")
        {
            throw new StorageException("users file unreadable");
        }

        UserRecord? user = names.Contains(name, StringComparer.Ordinal)
            ? new UserRecord(name, "{PLAIN}x", "1000", "1000", string.Empty, $"/home/{name}", string.Empty, new Dictionary<string, string>())
            : null;
        return ValueTask.FromResult(user);
    }
}
