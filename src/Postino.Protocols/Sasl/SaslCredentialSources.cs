namespace Postino.Protocols.Sasl;

/// <summary>How a plaintext password check came out (PLAIN and LOGIN).</summary>
public enum SaslPasswordOutcome
{
    Success,
    BadCredentials,
    TooSoon,
    TemporaryFailure,
}

/// <summary>The verdict on a user name and password; <paramref name="User"/> is the canonical user name on success.</summary>
public sealed record SaslPasswordVerdict(SaslPasswordOutcome Outcome, string? User = null)
{
    /// <summary>
    /// The user's LOGIN-DELAY (RFC 2449) when the verifier knows it: it travels with the exchange's result so that the
    /// server can announce it after login without remembering the last check.
    /// </summary>
    public TimeSpan? LoginDelay { get; init; }

    /// <summary>On <see cref="SaslPasswordOutcome.TooSoon"/>: how long until the user may log in again, when known.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>
/// Checks a plaintext password, supplied by the server (it applies the login penalty and LOGIN-DELAY, and knows the
/// remote address). Used by PLAIN and LOGIN.
/// </summary>
public interface ISaslPasswordVerifier
{
    ValueTask<SaslPasswordVerdict> VerifyAsync(string user, string password, CancellationToken cancellationToken);
}

/// <summary>A user's plaintext secret (only users with a {PLAIN} password have one), for CRAM-MD5.</summary>
public sealed record CramMd5Secret(string User, string Secret);

/// <summary>Gives the plaintext secret CRAM-MD5 needs, or null when the user is unknown or has none.</summary>
public interface ICramMd5SecretSource
{
    ValueTask<CramMd5Secret?> FindCramMd5SecretAsync(string user, CancellationToken cancellationToken);
}

/// <summary>Gives a user's SCRAM-SHA-256 stored keys, or null when the user is unknown or has none.</summary>
public interface IScramCredentialSource
{
    ValueTask<ScramCredential?> FindScramSha256CredentialAsync(string user, CancellationToken cancellationToken);
}
