using System.Net;
using Postino.Server.Security;
using Postino.Storage.Users;

namespace Postino.Server.Auth;

/// <summary>
/// The shared login policy: <see cref="LoginPenalty"/> on failures (answered one after another per address, whatever
/// the connection), <see cref="LoginDelayTracker"/> on success.
/// </summary>
public sealed class LoginPolicy(LoginPenalty penalty, LoginDelayTracker loginDelay) : ILoginPolicy
{
    public async ValueTask<AuthenticationResult> RejectAsync(
        IPAddress remoteAddress,
        string user,
        string? attemptedPassword,
        CancellationToken cancellationToken)
    {
        var delay = penalty.ScheduleAnswer(remoteAddress, penalty.RecordFailure(remoteAddress, user, attemptedPassword));
        await penalty.WaitAsync(delay, cancellationToken).ConfigureAwait(false);
        return new AuthenticationResult(AuthenticationOutcome.BadCredentials);
    }

    public AuthenticationResult Accept(IPAddress remoteAddress, UserRecord user)
    {
        ArgumentNullException.ThrowIfNull(user);
        penalty.RecordSuccess(remoteAddress);
        var delay = loginDelay.DelayFor(user);
        return loginDelay.TryRecordLogin(user, out var retryAfter)
            ? new AuthenticationResult(AuthenticationOutcome.Success, user.Name) { LoginDelay = delay }
            : new AuthenticationResult(AuthenticationOutcome.TooSoon, user.Name) { LoginDelay = delay, RetryAfter = retryAfter };
    }
}
