using System.Net;
using Microsoft.Extensions.Logging;
using Postino.Protocols.Sasl;
using Postino.Server.Security;
using Postino.Storage;
using Postino.Storage.Users;

namespace Postino.Server.Auth;

/// <summary>
/// USER/PASS, SASL PLAIN/LOGIN and POP2 HELO logins against the user directory, after the RFC 8265 preparation of the
/// name and password (one place for every protocol). An unknown user, a user without a
/// password and a wrong password give the same answer after comparable work (a dummy verification), and all cost the
/// login penalty; a directory that cannot be read gives <see cref="AuthenticationOutcome.TemporaryFailure"/>. Logs name
/// the user and address, never the password. With a <see cref="LoginThrottle"/>, one check per remote address is in
/// flight at a time, from the lookup to the answer (penalty included); with a <see cref="VerifiedPasswordCache"/>, a
/// password verified recently for the same stored secret is not hashed again.
/// </summary>
public sealed partial class PasswordAuthenticator(
    IUserDirectory users,
    PasswordVerifier verifier,
    ILoginPolicy policy,
    ILogger<PasswordAuthenticator> logger,
    LoginThrottle? throttle = null,
    VerifiedPasswordCache? cache = null) : IPasswordAuthenticator
{
    public async ValueTask<AuthenticationResult> AuthenticateAsync(
        string user,
        string password,
        IPAddress remoteAddress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(remoteAddress);

        // RFC 8265 (RFC 6856 section 2), for every protocol that calls here (USER/PASS, SASL PLAIN/LOGIN, POP2 HELO):
        // the same name or password typed in another normalisation form or width must still match.
        user = PrecisProfiles.UsernameCasePreserved(user) ?? user;
        password = PrecisProfiles.OpaqueString(password) ?? password;
        using var turn = throttle is null ? null : await throttle.EnterAsync(remoteAddress, cancellationToken).ConfigureAwait(false);
        return await CheckAsync(user, password, remoteAddress, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<AuthenticationResult> CheckAsync(
        string user,
        string password,
        IPAddress remoteAddress,
        CancellationToken cancellationToken)
    {
        UserRecord? record = null;
        if (UserName.IsValid(user))
        {
            try
            {
                record = await users.FindAsync(user, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is UsersFileException or StorageException or IOException)
            {
                LogDirectoryFailure(logger, user, remoteAddress, e);
                return new AuthenticationResult(AuthenticationOutcome.TemporaryFailure);
            }
        }

        if (record is not null && cache is not null && cache.Matches(record.Name, password, record.Password))
        {
            return Accepted(record, remoteAddress);
        }

        if (await verifier.VerifyAsync(password, record?.Password, cancellationToken).ConfigureAwait(false))
        {
            cache?.Remember(record!.Name, password, record.Password);
            return Accepted(record!, remoteAddress);
        }

        LogFailure(logger, UserName.IsValid(user) ? user : "(invalid name)", remoteAddress, record is not null);
        return await policy.RejectAsync(remoteAddress, user, password, cancellationToken).ConfigureAwait(false);
    }

    private AuthenticationResult Accepted(UserRecord record, IPAddress remoteAddress)
    {
        var result = policy.Accept(remoteAddress, record);
        if (result.Outcome == AuthenticationOutcome.TooSoon)
        {
            LogTooSoon(logger, record.Name, remoteAddress);
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Login failed for {User} from {RemoteAddress} (known user: {Known})")]
    private static partial void LogFailure(ILogger logger, string user, IPAddress remoteAddress, bool known);

    [LoggerMessage(Level = LogLevel.Information, Message = "Login of {User} from {RemoteAddress} refused: LOGIN-DELAY not yet passed")]
    private static partial void LogTooSoon(ILogger logger, string user, IPAddress remoteAddress);

    [LoggerMessage(Level = LogLevel.Error, Message = "Login of {User} from {RemoteAddress} failed: the user directory cannot be read")]
    private static partial void LogDirectoryFailure(ILogger logger, string user, IPAddress remoteAddress, Exception exception);
}
