namespace Postino.Server.Auth;

/// <summary>
/// The plaintext secret of a user stored with {PLAIN} (or {CLEAR}/{CLEARTEXT}), for APOP and CRAM-MD5, which need
/// it on the server. Null for unknown users and for users with any other scheme: the mechanism then fails the login
/// through <see cref="ILoginPolicy.RejectAsync"/> like a wrong digest.
/// </summary>
public interface IPlainSecretLookup
{
    ValueTask<string?> FindPlainSecretAsync(string user, CancellationToken cancellationToken);
}
