namespace Postino.Server.Auth;

/// <summary>The auth cache (<c>Auth:CacheTtl</c>): how long a verified password is remembered, and for how many users.</summary>
public sealed record VerifiedPasswordCacheOptions
{
    /// <summary>How long a successful verification is remembered; zero turns the cache off.</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Users remembered at most; beyond it the entries closest to expiry go first.</summary>
    public int MaxEntries { get; init; } = 100_000;
}
