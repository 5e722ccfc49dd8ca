using System.Security.Cryptography;
using System.Text;

namespace Postino.Server.Auth;

/// <summary>
/// Remembers successful password verifications for <see cref="VerifiedPasswordCacheOptions.Ttl"/>, as Dovecot's auth
/// cache does, so that a client polling every minute does not pay a slow hash ({ARGON2ID}: 64 MiB and a fraction of a
/// second) at each login. Only an HMAC-SHA256, under a key random per process, of the user, the password and the
/// stored secret is kept, never the password. Binding the stored secret makes any change of it (<c>postino user
/// passwd</c>, an edited users file or row) invalidate the entry; a removed user is not found, so never reaches it.
/// Failures are never remembered.
/// </summary>
public sealed class VerifiedPasswordCache
{
    private readonly VerifiedPasswordCacheOptions options;
    private readonly TimeProvider time;
    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public VerifiedPasswordCache(VerifiedPasswordCacheOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Ttl, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxEntries, 1);
        this.options = options;
        this.time = time;
    }

    public bool Enabled => options.Ttl > TimeSpan.Zero;

    /// <summary>Users remembered now (expired entries included until they are met or pruned).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>True when this very password was verified for this user and this stored secret less than the TTL ago.</summary>
    public bool Matches(string user, string password, string storedSecret)
    {
        if (!Enabled)
        {
            return false;
        }

        var mac = Mac(user, password, storedSecret);
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (!entries.TryGetValue(user, out var entry))
            {
                return false;
            }

            if (now >= entry.Expires)
            {
                entries.Remove(user);
                return false;
            }

            return CryptographicOperations.FixedTimeEquals(entry.Mac, mac);
        }
    }

    /// <summary>Remembers a successful verification (call only after one).</summary>
    public void Remember(string user, string password, string storedSecret)
    {
        if (!Enabled)
        {
            return;
        }

        var mac = Mac(user, password, storedSecret);
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (!entries.ContainsKey(user) && entries.Count >= options.MaxEntries)
            {
                Prune(now);
            }

            entries[user] = new Entry(mac, now + options.Ttl);
        }
    }

    /// <summary>Forgets a user (a password changed or a user removed through this process).</summary>
    public void Forget(string user)
    {
        lock (gate)
        {
            entries.Remove(user);
        }
    }

    /// <summary>Forgets everyone.</summary>
    public void Clear()
    {
        lock (gate)
        {
            entries.Clear();
        }
    }

    private byte[] Mac(string user, string password, string storedSecret)
    {
        var material = Encoding.UTF8.GetBytes(user + "\0" + password + "\0" + storedSecret);
        try
        {
            return HMACSHA256.HashData(key, material);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (user, entry) in entries.ToList())
        {
            if (now >= entry.Expires)
            {
                entries.Remove(user);
            }
        }

        if (entries.Count >= options.MaxEntries)
        {
            foreach (var user in entries.OrderBy(pair => pair.Value.Expires).Take(entries.Count - (options.MaxEntries / 2)).Select(pair => pair.Key).ToList())
            {
                entries.Remove(user);
            }
        }
    }

    private sealed record Entry(byte[] Mac, DateTimeOffset Expires);
}
