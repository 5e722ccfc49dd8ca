using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Postino.Storage.Users;

namespace Postino.Storage.Retention;

/// <summary>
/// Finds a user's retention: the user's own (users file <c>postino_retention=</c> and <c>postino_max_age_days=</c>,
/// each also with the <c>userdb_</c> prefix), else the user's domain's, else the server default. A user field replaces
/// only what it sets: a user with <c>postino_retention=keep-days:30</c> in a domain with a maximum age keeps that
/// maximum age. It is what the sweeper and the stores (at maildrop open, for the commit's delete-on-retrieve and CAPA's EXPIRE) ask.
/// </summary>
public sealed class RetentionResolver(
    RetentionOptions options,
    IUserDirectory? users = null,
    ILogger<RetentionResolver>? logger = null) : IRetentionRuleSource, IRetentionAtCommit
{
    /// <summary>The users file extra field for a per-user maximum age in days.</summary>
    public const string MaxAgeDaysKey = "postino_max_age_days";

    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>The server default, for CAPA before login.</summary>
    public EffectiveRetention Default => options.Default;

    /// <summary>
    /// True when users may have another value than the default (domains configured, or a users file that can set one):
    /// CAPA before login then says <c>EXPIRE n USER</c> (RFC 2449).
    /// </summary>
    public bool MayVaryPerUser => users is not null || options.Domains.Count > 0;

    /// <summary>The retention of <paramref name="user"/>, whose domain is the part of the name after '@'.</summary>
    public ValueTask<EffectiveRetention> ResolveAsync(string user, CancellationToken cancellationToken) =>
        ResolveAsync(user, DomainOf(user), cancellationToken);

    /// <summary>The retention of <paramref name="user"/> in <paramref name="domain"/> (null: no domain override).</summary>
    public async ValueTask<EffectiveRetention> ResolveAsync(string user, string? domain, CancellationToken cancellationToken)
    {
        var retention = ForDomain(domain);
        if (users is null || await users.FindAsync(user, cancellationToken) is not { } record)
        {
            return retention;
        }

        return WithUserSettings(user, record, retention);
    }

    /// <summary>
    /// Without the users file: <paramref name="user"/>'s domain's retention, else the default. For a synchronous caller
    /// whose maildrop carries no retention (a store without one).
    /// </summary>
    public EffectiveRetention ForDomainOf(string user) => ForDomain(DomainOf(user));

    public async ValueTask<RetentionRule> GetRuleAsync(string user, CancellationToken cancellationToken) =>
        (await ResolveAsync(user, cancellationToken)).Rule;

    public async ValueTask<bool> DeletesRetrievedAsync(string user, CancellationToken cancellationToken) =>
        (await ResolveAsync(user, cancellationToken)).DeletesRetrievedAtCommit;

    private EffectiveRetention ForDomain(string? domain) =>
        domain is not null && options.Domains.TryGetValue(domain, out var forDomain) ? forDomain : options.Default;

    private EffectiveRetention WithUserSettings(string user, UserRecord record, EffectiveRetention retention)
    {
        if (!UserSettings.TryRead(record.Extra, out var settings, out var problem))
        {
            // The users file refuses to load with a malformed field; this only happens when it changed underneath.
            _logger.LogWarning("Retention of {User}: {Problem}; using {Retention}", user, problem, retention);
            return retention;
        }

        if (settings.Retention is { } policy)
        {
            retention = retention with { Policy = policy };
        }

        if (FindExtra(record, MaxAgeDaysKey) is { } text)
        {
            if (text == "0")
            {
                retention = retention with { MaxAgeDays = null };
            }
            else if (EffectiveRetention.TryParseDays(text, out var days))
            {
                retention = retention with { MaxAgeDays = days };
            }
            else
            {
                _logger.LogWarning("Retention of {User}: {Key} must be a number of days, not '{Value}'; ignored", user, MaxAgeDaysKey, text);
            }
        }

        return retention;
    }

    private static string? DomainOf(string user)
    {
        var at = user.LastIndexOf('@');
        return at < 0 || at == user.Length - 1 ? null : user[(at + 1)..];
    }

    private static string? FindExtra(UserRecord record, string key) =>
        record.Extra.TryGetValue(key, out var value) || record.Extra.TryGetValue("userdb_" + key, out value) ? value : null;
}
