using System.Net;

namespace Postino.Server.Auth;

/// <summary>
/// Checks a user name and password for any protocol (POP3 USER/PASS and SASL PLAIN/LOGIN, POP2 HELO), applying the
/// shared login penalty for the remote address. Never logs the password.
/// </summary>
public interface IPasswordAuthenticator
{
    ValueTask<AuthenticationResult> AuthenticateAsync(
        string user,
        string password,
        IPAddress remoteAddress,
        CancellationToken cancellationToken);
}

/// <summary>The outcome of a login attempt.</summary>
public enum AuthenticationOutcome
{
    Success,
    BadCredentials,

    /// <summary>The user's LOGIN-DELAY has not passed since the last login.</summary>
    TooSoon,

    /// <summary>The user directory could not be read.</summary>
    TemporaryFailure,
}

/// <summary>The outcome and, on success, the canonical user name.</summary>
public sealed record AuthenticationResult(AuthenticationOutcome Outcome, string? User = null)
{
    public bool Succeeded => Outcome == AuthenticationOutcome.Success;

    /// <summary>
    /// On <see cref="AuthenticationOutcome.Success"/> and <see cref="AuthenticationOutcome.TooSoon"/>: the user's
    /// LOGIN-DELAY, for CAPA after login (<c>LOGIN-DELAY n</c>). Null otherwise.
    /// </summary>
    public TimeSpan? LoginDelay { get; init; }

    /// <summary>On <see cref="AuthenticationOutcome.TooSoon"/>: how long until the user may log in again.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
