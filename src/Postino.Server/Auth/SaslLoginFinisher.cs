using System.Net;
using Postino.Protocols.Sasl;
using Postino.Storage;
using Postino.Storage.Users;

namespace Postino.Server.Auth;

/// <summary>
/// Applies the login policy to the end of an APOP, CRAM-MD5 or SCRAM exchange, which check the secret themselves:
/// a bad proof costs the penalty (awaited here), a good one meets LOGIN-DELAY. PLAIN and LOGIN need none of this (their
/// <see cref="SaslPasswordVerifier"/> went through the authenticator), so for them the step is only translated.
/// </summary>
public sealed class SaslLoginFinisher(IUserDirectory users, ILoginPolicy policy)
{
    /// <summary>The login result of a finished exchange, or null when <paramref name="step"/> is still a challenge.</summary>
    public async ValueTask<AuthenticationResult?> FinishAsync(
        string mechanism,
        SaslStep step,
        IPAddress remoteAddress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var selfVerifying = !string.Equals(mechanism, SaslMechanismNames.Plain, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(mechanism, SaslMechanismNames.Login, StringComparison.OrdinalIgnoreCase);
        switch (step)
        {
            case SaslStep.Success success when selfVerifying:
                return await AcceptAsync(success.User, remoteAddress, cancellationToken).ConfigureAwait(false);
            case SaslStep.Success success:
                return new AuthenticationResult(AuthenticationOutcome.Success, success.User);
            case SaslStep.Failure { Reason: SaslFailureReason.BadCredentials } failure when selfVerifying:
                return await policy.RejectAsync(remoteAddress, failure.AttemptedUser ?? string.Empty, null, cancellationToken)
                    .ConfigureAwait(false);
            case SaslStep.Failure { Reason: SaslFailureReason.TooSoon }:
                return new AuthenticationResult(AuthenticationOutcome.TooSoon);
            case SaslStep.Failure { Reason: SaslFailureReason.TemporaryFailure }:
                return new AuthenticationResult(AuthenticationOutcome.TemporaryFailure);
            case SaslStep.Failure:
                return new AuthenticationResult(AuthenticationOutcome.BadCredentials);
            default:
                return null;
        }
    }

    /// <summary>For APOP: the digest matched for <paramref name="user"/>; applies LOGIN-DELAY and resets the penalty.</summary>
    public async ValueTask<AuthenticationResult> AcceptAsync(string user, IPAddress remoteAddress, CancellationToken cancellationToken)
    {
        UserRecord? record;
        try
        {
            record = await users.FindAsync(user, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is UsersFileException or StorageException or IOException)
        {
            return new AuthenticationResult(AuthenticationOutcome.TemporaryFailure);
        }

        return record is null
            ? new AuthenticationResult(AuthenticationOutcome.TemporaryFailure)
            : policy.Accept(remoteAddress, record);
    }
}
