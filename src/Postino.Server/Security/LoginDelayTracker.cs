using Postino.Storage.Users;

namespace Postino.Server.Security;

/// <summary>
/// Enforces LOGIN-DELAY: a user may log in again only after their delay (users-file <c>postino_login_delay</c>, else
/// the server default) has passed since their last successful login. Last-login times are kept in memory only: a
/// server restart forgets them (a restart is rare and at worst allows one early login per user).
/// </summary>
public sealed class LoginDelayTracker
{
    private const int MinPruneCount = 1024;
    private readonly LoginDelayOptions options;
    private readonly TimeProvider timeProvider;
    private readonly Dictionary<string, DateTimeOffset> lastLogins = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private TimeSpan longestDelaySeen;
    private int pruneAtCount = MinPruneCount;

    public LoginDelayTracker(LoginDelayOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DefaultDelay, TimeSpan.Zero);
        this.options = options;
        this.timeProvider = timeProvider;
        longestDelaySeen = options.DefaultDelay;
    }

    /// <summary>The server default, what CAPA announces before login.</summary>
    public TimeSpan DefaultDelay => options.DefaultDelay;

    /// <summary>The delay that applies to <paramref name="user"/>, what CAPA announces after login.</summary>
    public TimeSpan DelayFor(UserRecord user) => UserSettings.Of(user).LoginDelay ?? options.DefaultDelay;

    /// <summary>
    /// Records a login of <paramref name="user"/> now, or refuses it (false) when it comes too early;
    /// <paramref name="retryAfter"/> is then the time left. A refused login does not move the last-login time.
    /// </summary>
    public bool TryRecordLogin(UserRecord user, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(user);
        var delay = DelayFor(user);
        var now = timeProvider.GetUtcNow();
        retryAfter = TimeSpan.Zero;
        lock (gate)
        {
            if (delay > TimeSpan.Zero
                && lastLogins.TryGetValue(user.Name, out var last)
                && now - last < delay)
            {
                retryAfter = delay - (now - last);
                return false;
            }

            if (delay > longestDelaySeen)
            {
                longestDelaySeen = delay;
            }

            lastLogins[user.Name] = now;
            if (lastLogins.Count >= pruneAtCount)
            {
                Forget(now);
                pruneAtCount = Math.Max(MinPruneCount, lastLogins.Count * 2);
            }

            return true;
        }
    }

    private void Forget(DateTimeOffset now)
    {
        // Entries older than every delay in use cannot refuse anything any more.
        foreach (var (name, last) in lastLogins.ToList())
        {
            if (now - last >= longestDelaySeen)
            {
                lastLogins.Remove(name);
            }
        }
    }
}
