using System.Globalization;

namespace Postino.Storage.Users;

/// <summary>
/// Postino's own per-user settings, kept as extra fields of the passwd-file line (Dovecot ignores them):
/// <c>postino_login_delay=SECONDS</c>, <c>postino_retention=client|delete-on-retrieve|keep-days:N</c>,
/// <c>postino_quota_bytes=N</c>, <c>postino_quota_messages=N</c>. A <c>userdb_</c> prefix is accepted too.
/// Null means "not set for this user: the server default applies".
/// </summary>
public sealed record UserSettings(
    TimeSpan? LoginDelay,
    RetentionPolicy? Retention,
    long? QuotaBytes,
    long? QuotaMessages)
{
    public const string LoginDelayKey = "postino_login_delay";
    public const string RetentionKey = "postino_retention";
    public const string QuotaBytesKey = "postino_quota_bytes";
    public const string QuotaMessagesKey = "postino_quota_messages";
    private const string UserdbPrefix = "userdb_";

    /// <summary>The settings of <paramref name="user"/> (its extra fields were validated when the file loaded).</summary>
    public static UserSettings Of(UserRecord user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return TryRead(user.Extra, out var settings, out var problem)
            ? settings
            : throw new UsersFileException($"user {user.Name}: {problem}");
    }

    /// <summary>Reads the settings from extra fields; false with the problem when one of ours is malformed.</summary>
    public static bool TryRead(IReadOnlyDictionary<string, string> extra, out UserSettings settings, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(extra);
        settings = new UserSettings(null, null, null, null);
        problem = null;
        TimeSpan? loginDelay = null;
        RetentionPolicy? retention = null;
        long? quotaBytes = null, quotaMessages = null;
        if (Find(extra, LoginDelayKey) is { } delayText)
        {
            if (!TryParseCount(delayText, out var seconds) || seconds > int.MaxValue)
            {
                problem = $"{LoginDelayKey} must be a number of seconds, not '{delayText}'";
                return false;
            }

            loginDelay = TimeSpan.FromSeconds(seconds);
        }

        if (Find(extra, RetentionKey) is { } retentionText)
        {
            if (!RetentionPolicy.TryParse(retentionText, out retention))
            {
                problem = $"{RetentionKey} must be client, delete-on-retrieve or keep-days:N, not '{retentionText}'";
                return false;
            }
        }

        if (Find(extra, QuotaBytesKey) is { } bytesText)
        {
            if (!TryParseCount(bytesText, out var bytes))
            {
                problem = $"{QuotaBytesKey} must be a number, not '{bytesText}'";
                return false;
            }

            quotaBytes = bytes;
        }

        if (Find(extra, QuotaMessagesKey) is { } messagesText)
        {
            if (!TryParseCount(messagesText, out var messages))
            {
                problem = $"{QuotaMessagesKey} must be a number, not '{messagesText}'";
                return false;
            }

            quotaMessages = messages;
        }

        settings = new UserSettings(loginDelay, retention, quotaBytes, quotaMessages);
        return true;
    }

    private static string? Find(IReadOnlyDictionary<string, string> extra, string key) =>
        extra.TryGetValue(key, out var value) || extra.TryGetValue(UserdbPrefix + key, out value) ? value : null;

    private static bool TryParseCount(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
