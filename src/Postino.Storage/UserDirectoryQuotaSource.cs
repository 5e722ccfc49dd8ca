using System.Globalization;
using Postino.Storage.Users;

namespace Postino.Storage;

/// <summary>
/// Quotas from the users file: Postino's own extra fields <c>postino_quota_bytes=N</c> and
/// <c>postino_quota_messages=N</c> (see <see cref="UserSettings"/>), else Dovecot's, so an existing passwd-file keeps
/// its limits: <c>quota_rule=*:storage=1G</c>, <c>quota_rule2=*:messages=10000</c> (also with the <c>userdb_</c>
/// prefix), where <c>storage</c> is in kilobytes unless it carries a unit (b, k, M, G, T) and <c>bytes</c> in bytes.
/// <c>0</c> is unlimited. Rules for a named mailbox (not <c>*</c>) do not apply to POP. A limit the user does not set
/// is the server default.
/// </summary>
public sealed class UserDirectoryQuotaSource(IUserDirectory users, MailboxQuota serverDefault) : IMailboxQuotaSource
{
    public async ValueTask<MailboxQuota> GetQuotaAsync(string user, CancellationToken cancellationToken)
    {
        var record = await users.FindAsync(user, cancellationToken);
        if (record is null)
        {
            return serverDefault;
        }

        var quota = serverDefault;
        foreach (var (key, value) in record.Extra)
        {
            var name = key.StartsWith("userdb_", StringComparison.Ordinal) ? key["userdb_".Length..] : key;
            if (name.StartsWith("quota_rule", StringComparison.Ordinal))
            {
                quota = ApplyRule(quota, value);
            }
        }

        if (UserSettings.TryRead(record.Extra, out var settings, out _))
        {
            if (settings.QuotaBytes is { } bytes)
            {
                quota = quota with { MaxBytes = bytes == 0 ? null : bytes };
            }

            if (settings.QuotaMessages is { } messages)
            {
                quota = quota with { MaxMessages = messages == 0 ? null : messages };
            }
        }

        return quota;
    }

    /// <summary>Applies one Dovecot quota rule (<c>*:storage=N:messages=N</c>) on top of <paramref name="quota"/>.</summary>
    public static MailboxQuota ApplyRule(MailboxQuota quota, string rule)
    {
        var parts = rule.Split(':');
        if (parts.Length < 2 || parts[0] != "*")
        {
            return quota;
        }

        foreach (var part in parts.AsSpan(1))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var value = part[(equals + 1)..];
            var field = part[..equals];
            if (field is "storage" or "bytes" && TryParseSize(value, field == "storage" ? 1024 : 1, out var bytes))
            {
                quota = quota with { MaxBytes = bytes == 0 ? null : bytes };
            }
            else if (field == "messages" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                quota = quota with { MaxMessages = count == 0 ? null : count };
            }
        }

        return quota;
    }

    private static bool TryParseSize(string text, long defaultUnit, out long bytes)
    {
        bytes = 0;
        if (text.Length == 0)
        {
            return false;
        }

        var unit = char.ToUpperInvariant(text[^1]) switch
        {
            'B' => 1L,
            'K' => 1024L,
            'M' => 1024L * 1024,
            'G' => 1024L * 1024 * 1024,
            'T' => 1024L * 1024 * 1024 * 1024,
            _ => 0L,
        };
        var digits = unit == 0 ? text : text[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var multiplier = unit == 0 ? defaultUnit : unit;
        if (number > long.MaxValue / multiplier)
        {
            return false;
        }

        bytes = number * multiplier;
        return true;
    }
}
