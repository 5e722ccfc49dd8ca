using System.Net;
using Postino.Protocols.Sasl;

namespace Postino.Server.Auth;

/// <summary>
/// SASL PLAIN and LOGIN's password check for one connection: the password authenticator bound to the connection's
/// remote address, so the login penalty and LOGIN-DELAY apply as for USER/PASS. Create one per connection and put it
/// in that connection's <see cref="SaslConnection"/>.
/// </summary>
public sealed class SaslPasswordVerifier(IPasswordAuthenticator authenticator, IPAddress remoteAddress) : ISaslPasswordVerifier
{
    public async ValueTask<SaslPasswordVerdict> VerifyAsync(string user, string password, CancellationToken cancellationToken)
    {
        var result = await authenticator.AuthenticateAsync(user, password, remoteAddress, cancellationToken).ConfigureAwait(false);
        var outcome = result.Outcome switch
        {
            AuthenticationOutcome.Success => SaslPasswordOutcome.Success,
            AuthenticationOutcome.TooSoon => SaslPasswordOutcome.TooSoon,
            AuthenticationOutcome.TemporaryFailure => SaslPasswordOutcome.TemporaryFailure,
            _ => SaslPasswordOutcome.BadCredentials,
        };
        return new SaslPasswordVerdict(outcome, result.User);
    }
}
