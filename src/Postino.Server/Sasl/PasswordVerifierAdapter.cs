using System.Net;
using Postino.Protocols.Sasl;
using Postino.Server.Auth;

namespace Postino.Server.Sasl;

/// <summary>
/// PLAIN and LOGIN's password check through the server's authenticator for one remote address. The user's LOGIN-DELAY
/// travels back in the verdict, so that the exchange's success carries it to the session.
/// </summary>
internal sealed class PasswordVerifierAdapter(IPasswordAuthenticator passwords, IPAddress remoteAddress) : ISaslPasswordVerifier
{
    public async ValueTask<SaslPasswordVerdict> VerifyAsync(string user, string password, CancellationToken cancellationToken)
    {
        var result = await passwords.AuthenticateAsync(user, password, remoteAddress, cancellationToken);
        var outcome = result.Outcome switch
        {
            AuthenticationOutcome.Success => SaslPasswordOutcome.Success,
            AuthenticationOutcome.TooSoon => SaslPasswordOutcome.TooSoon,
            AuthenticationOutcome.TemporaryFailure => SaslPasswordOutcome.TemporaryFailure,
            _ => SaslPasswordOutcome.BadCredentials,
        };
        return new SaslPasswordVerdict(outcome, result.User) { LoginDelay = result.LoginDelay, RetryAfter = result.RetryAfter };
    }
}
