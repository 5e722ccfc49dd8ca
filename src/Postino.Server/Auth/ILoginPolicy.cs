using System.Net;
using Postino.Storage.Users;

namespace Postino.Server.Auth;

/// <summary>
/// The end of every login attempt, whatever the mechanism (USER/PASS, APOP, SASL PLAIN/LOGIN/CRAM-MD5/SCRAM, POP2
/// HELO): a failure costs the remote address its penalty before the answer; a verified user is checked against
/// LOGIN-DELAY. Mechanisms that verify on their own (APOP, CRAM-MD5, SCRAM) call this so that all share one policy.
/// </summary>
public interface ILoginPolicy
{
    /// <summary>
    /// Records a failed attempt, waits the remote address's penalty (asynchronously), then returns
    /// <see cref="AuthenticationOutcome.BadCredentials"/>. <paramref name="attemptedPassword"/> only serves to notice a
    /// repeat of the same wrong password (which does not raise the penalty); pass null when there is none.
    /// </summary>
    ValueTask<AuthenticationResult> RejectAsync(
        IPAddress remoteAddress,
        string user,
        string? attemptedPassword,
        CancellationToken cancellationToken);

    /// <summary>
    /// A user whose credentials verified: resets the address's penalty and applies LOGIN-DELAY, returning
    /// <see cref="AuthenticationOutcome.Success"/> or <see cref="AuthenticationOutcome.TooSoon"/>.
    /// </summary>
    AuthenticationResult Accept(IPAddress remoteAddress, UserRecord user);
}
