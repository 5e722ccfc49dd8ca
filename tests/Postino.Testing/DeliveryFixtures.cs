using Postino.Storage;

namespace Postino.Testing;

/// <summary>
/// The users and store failures the delivery tests (LMTP, SMTP, <c>postino deliver</c>) share: "full" is over quota,
/// "broken" fails temporarily, "perm" permanently, and looking up "lookupfail" fails. Transcripts declare their own.
/// </summary>
public static class DeliveryFixtures
{
    public static MemoryUserDirectory Users()
    {
        var users = new MemoryUserDirectory("alice", "bob", "carol@example.org", "postmaster", "full", "broken", "perm", "lookupfail");
        users.FailingNames.Add("lookupfail");
        return users;
    }

    public static MemoryMailStore Store()
    {
        var store = new MemoryMailStore();
        AddFailure(store, "full", "quota");
        AddFailure(store, "broken", "temp");
        AddFailure(store, "perm", "perm");
        return store;
    }

    /// <summary>Makes delivery to <paramref name="user"/> fail: "quota" (over quota), "temp" or "perm" (storage errors).</summary>
    public static void AddFailure(MemoryMailStore store, string user, string kind) =>
        store.DeliveryFailures[user] = kind switch
        {
            "quota" => () => new QuotaExceededException(user, "bytes"),
            "temp" => () => new StorageException("disk on fire"),
            "perm" => () => new StorageException("mailbox is a file") { IsTemporary = false },
            _ => throw new ArgumentException($"unknown failure kind {kind}", nameof(kind)),
        };
}
