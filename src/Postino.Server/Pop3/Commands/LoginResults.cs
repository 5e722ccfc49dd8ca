using Postino.Protocols.Pop3;
using Postino.Server.Auth;

namespace Postino.Server.Pop3.Commands;

/// <summary>Turns an authentication outcome into the login or its -ERR (shared by PASS, APOP and SASL).</summary>
public static class LoginResults
{
    public static async ValueTask ApplyAsync(
        Pop3Session session,
        AuthenticationResult result,
        string user,
        CancellationToken cancellationToken,
        string mechanism = "USER")
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(result);
        Metrics.PostinoMetrics.Instance.Login(session.Connection.ListenerName, session.IsSecure, mechanism, result.Outcome);
        switch (result.Outcome)
        {
            case AuthenticationOutcome.Success:
                await session.LoginAsync(result.User ?? user, cancellationToken);
                if (session.State == Pop3States.Transaction)
                {
                    session.Features.Set(result.LoginDelay is { } delay ? new UserLoginDelay(delay) : null);
                }

                break;
            case AuthenticationOutcome.TooSoon:
                session.Error(Pop3ResponseCode.LoginDelay, Pop3TextKey.LoginTooSoon);
                break;
            case AuthenticationOutcome.TemporaryFailure:
                session.Error(Pop3ResponseCode.SysTemp, Pop3TextKey.AuthenticationUnavailable);
                break;
            default:
                session.Reject(Pop3ResponseCode.Auth, Pop3TextKey.AuthenticationFailed);
                break;
        }
    }
}
