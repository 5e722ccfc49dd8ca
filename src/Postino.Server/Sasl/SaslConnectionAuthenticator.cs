using System.Net;
using Postino.Protocols.Sasl;
using Postino.Server.Auth;
using Postino.Storage;
using Postino.Storage.Users;

namespace Postino.Server.Sasl;

/// <summary>
/// SASL for one POP3 connection: which mechanisms to list, a new <see cref="SaslExchange"/> for "AUTH name", and the
/// login verdict once the exchange is over, with the penalty and LOGIN-DELAY applied the same way for every mechanism.
/// </summary>
public sealed class SaslConnectionAuthenticator
{
    private readonly SaslMechanismFactory _mechanisms;
    private readonly PasswordVerifierAdapter _passwords;
    private readonly ILoginPolicy _policy;
    private readonly IUserDirectory _users;
    private readonly IPAddress _remoteAddress;

    internal SaslConnectionAuthenticator(
        SaslMechanismFactory mechanisms,
        PasswordVerifierAdapter passwords,
        ILoginPolicy policy,
        IUserDirectory users,
        IPAddress remoteAddress)
    {
        _mechanisms = mechanisms;
        _passwords = passwords;
        _policy = policy;
        _users = users;
        _remoteAddress = remoteAddress;
    }

    /// <summary>
    /// The mechanisms for CAPA's SASL line and bare AUTH. <paramref name="plaintextAllowed"/>: TLS is active or the
    /// address is trusted; <paramref name="tlsServerEndPoint"/>: the TLS connection's channel binding, or null.
    /// </summary>
    public IReadOnlyList<string> Available(bool plaintextAllowed, byte[]? tlsServerEndPoint) =>
        _mechanisms.Available(Connection(plaintextAllowed, tlsServerEndPoint));

    /// <summary>A new exchange for <paramref name="mechanismName"/>, or null when it is not offered on this connection.</summary>
    public SaslExchange? Begin(string mechanismName, bool plaintextAllowed, byte[]? tlsServerEndPoint)
    {
        ArgumentNullException.ThrowIfNull(mechanismName);
        var mechanism = _mechanisms.Create(mechanismName, Connection(plaintextAllowed, tlsServerEndPoint));
        return mechanism is null ? null : new SaslExchange(mechanism);
    }

    /// <summary>
    /// The login verdict for a finished exchange. PLAIN and LOGIN were already judged by the password authenticator;
    /// CRAM-MD5 and SCRAM verified on their own, so their success goes through LOGIN-DELAY and their failure through
    /// the penalty here. Cancelled or malformed exchanges cost nothing: no credential was tried.
    /// </summary>
    public async ValueTask<AuthenticationResult> CompleteAsync(
        SaslExchange exchange,
        SaslExchangeReply reply,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var verifiedOnItsOwn = exchange.MechanismName is not (SaslMechanismNames.Plain or SaslMechanismNames.Login);
        switch (reply)
        {
            case SaslExchangeReply.Succeeded succeeded when verifiedOnItsOwn:
                return await AcceptAsync(succeeded.User, cancellationToken);
            case SaslExchangeReply.Succeeded succeeded:
                // The password authenticator already accepted it; its LOGIN-DELAY came back with the verdict.
                return new AuthenticationResult(AuthenticationOutcome.Success, succeeded.User)
                {
                    LoginDelay = succeeded.Verdict?.LoginDelay,
                };
            case SaslExchangeReply.Failed { Reason: SaslFailureReason.BadCredentials or SaslFailureReason.ChannelBindingMismatch } failed
                when verifiedOnItsOwn:
                return await _policy.RejectAsync(_remoteAddress, failed.AttemptedUser ?? string.Empty, null, cancellationToken);
            case SaslExchangeReply.Failed { Reason: SaslFailureReason.TooSoon } tooSoon:
                return new AuthenticationResult(AuthenticationOutcome.TooSoon, tooSoon.Verdict?.User ?? tooSoon.AttemptedUser)
                {
                    LoginDelay = tooSoon.Verdict?.LoginDelay,
                    RetryAfter = tooSoon.Verdict?.RetryAfter,
                };
            case SaslExchangeReply.Failed { Reason: SaslFailureReason.TemporaryFailure }:
                return new AuthenticationResult(AuthenticationOutcome.TemporaryFailure);
            case SaslExchangeReply.Failed:
                return new AuthenticationResult(AuthenticationOutcome.BadCredentials);
            default:
                throw new ArgumentException("The exchange is not over yet.", nameof(reply));
        }
    }

    private async ValueTask<AuthenticationResult> AcceptAsync(string user, CancellationToken cancellationToken)
    {
        UserRecord? record;
        try
        {
            record = UserName.IsValid(user) ? await _users.FindAsync(user, cancellationToken) : null;
        }
        catch (Exception exception) when (exception is UsersFileException or StorageException or IOException)
        {
            return new AuthenticationResult(AuthenticationOutcome.TemporaryFailure);
        }

        // The user vanished between the key lookup and now: treat it like a failed login.
        return record is null
            ? await _policy.RejectAsync(_remoteAddress, user, null, cancellationToken)
            : _policy.Accept(_remoteAddress, record);
    }

    private SaslConnection Connection(bool plaintextAllowed, byte[]? tlsServerEndPoint) =>
        new(_passwords, plaintextAllowed, tlsServerEndPoint);
}
