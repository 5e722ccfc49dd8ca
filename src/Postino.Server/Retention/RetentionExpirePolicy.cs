using System.Globalization;
using Postino.Server.Pop3;
using Postino.Storage.Retention;

namespace Postino.Server.Retention;

/// <summary>
/// The POP3 EXPIRE capability from the retention policies. Before login: the server default, with RFC 2449's
/// <c>USER</c> when users may differ; after login: the user's own value. The user's value is the one the store
/// resolved when it opened the maildrop at login, so CAPA never waits on the users file.
/// </summary>
public sealed class RetentionExpirePolicy(RetentionResolver resolver) : IPop3ExpirePolicy
{
    public string GetExpireValue(Pop3Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return GetExpireValue(session.User);
    }

    /// <summary>The EXPIRE value for a logged-in <paramref name="user"/>, or before login when null.</summary>
    public string GetExpireValue(string? user) => user is null
        ? Format(resolver.Default.Rule) + (resolver.MayVaryPerUser ? " USER" : "")
        : Format(resolver.LastResolved(user).Rule);

    /// <summary>The RFC 2449 EXPIRE value of a rule: <c>NEVER</c>, <c>0</c> or a number of days.</summary>
    public static string Format(RetentionRule rule) => rule.DaysRetrievedMailMayStay is { } days
        ? days.ToString(CultureInfo.InvariantCulture)
        : "NEVER";
}
