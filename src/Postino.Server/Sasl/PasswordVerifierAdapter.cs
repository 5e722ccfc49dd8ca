using System.Net;
using Postino.Protocols.Sasl;
using Postino.Server.Auth;

namespace Postino.Server.Sasl;

/// <summary>
/// PLAIN and LOGIN's password check through the server's authenticator for one remote address. It keeps the last
/// result, whose LOGIN-DELAY and retry time the session needs after the exchange.
/// </summary>
internal sealed class PasswordVerifierAdapter(IPasswordAuthenticator passwords, IPAddress remoteAddress) : ISaslPasswordVerifier
{
    public AuthenticationResult? LastResult { get; private set; }

    public async ValueTask<SaslPasswordVerdict> VerifyAsync(string user, string password, CancellationToken cancellationToken)
    {
        // RFC 8265: the same name or password typed on another keyboard (other normalisation form) must still match.
        var preparedUser = PrecisProfiles.UsernameCasePreserved(user) ?? user;
        var preparedPassword = PrecisProfiles.OpaqueString(password) ?? password;
        var result = await passwords.AuthenticateAsync(preparedUser, preparedPassword, remoteAddress, cancellationToken);
        LastResult = result;
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
