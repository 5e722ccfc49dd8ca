namespace Postino.Protocols.Sasl;

/// <summary>
/// Decides whether an authenticated user may act as another authorization identity (PLAIN's authzid, SCRAM's "a=").
/// Arguments: the canonical authenticated user, the requested identity.
/// </summary>
public delegate bool SaslAuthorizationPolicy(string authenticatedUser, string requestedUser);

/// <summary>Authorization policies and the identity rule the mechanisms share.</summary>
public static class SaslAuthorization
{
    /// <summary>The default: nobody acts as somebody else.</summary>
    public static SaslAuthorizationPolicy SameUserOnly { get; } = (_, _) => false;

    /// <summary>
    /// The user a successful exchange logs in as, or null when the request is denied. An empty or absent
    /// <paramref name="requested"/> identity, or one equal to what the client authenticated as (its own spelling or the
    /// canonical one), is always allowed.
    /// </summary>
    public static string? Resolve(string canonicalUser, string givenUser, string? requested, SaslAuthorizationPolicy policy)
    {
        if (string.IsNullOrEmpty(requested)
            || string.Equals(requested, givenUser, StringComparison.Ordinal)
            || string.Equals(requested, canonicalUser, StringComparison.Ordinal))
        {
            return canonicalUser;
        }

        return policy(canonicalUser, requested) ? requested : null;
    }
}
