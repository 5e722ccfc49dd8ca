using System.Globalization;
using Postino.Server.Pop3;
using Postino.Storage.Retention;

namespace Postino.Server.Retention;

/// <summary>
/// The POP3 EXPIRE capability from the retention policies. Before login: the server default, with RFC 2449's
/// <c>USER</c> when users may differ; after login: the user's own value, the one the store resolved when it opened the
/// session's maildrop (<see cref="Storage.IMaildrop.Retention"/>), so CAPA never waits on the users file.
/// </summary>
public sealed class RetentionExpirePolicy(RetentionResolver resolver) : IPop3ExpirePolicy
{
    public string GetExpireValue(Pop3Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return GetExpireValue(session.User, session.Maildrop?.Retention);
    }

    /// <summary>
    /// The EXPIRE value before login (<paramref name="user"/> null), or for a logged-in user whose maildrop opened with
    /// <paramref name="opened"/> (null when the store carries none: the user's domain's or the default).
    /// </summary>
    public string GetExpireValue(string? user, EffectiveRetention? opened) => user is null
        ? Format(resolver.Default.Rule) + (resolver.MayVaryPerUser ? " USER" : "")
        : Format((opened ?? resolver.ForDomainOf(user)).Rule);

    /// <summary>The RFC 2449 EXPIRE value of a rule: <c>NEVER</c>, <c>0</c> or a number of days.</summary>
    public static string Format(RetentionRule rule) => rule.DaysRetrievedMailMayStay is { } days
        ? days.ToString(CultureInfo.InvariantCulture)
        : "NEVER";
}
