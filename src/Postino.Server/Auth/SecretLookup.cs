using System.Security.Cryptography;
using System.Text;
using Postino.Protocols.Sasl;
using Postino.Storage.Users;
using Postino.Storage.Users.Schemes;

namespace Postino.Server.Auth;

/// <summary>
/// Secrets from the user directory for the mechanisms that verify on their own: the {PLAIN} secret for APOP and
/// CRAM-MD5, and SCRAM-SHA-256 stored keys from a {SCRAM-SHA-256} password or derived from a {PLAIN} one. Unknown users
/// and other schemes get made-up keys, and so fail like a wrong password. The salt of a {PLAIN} user and of an unknown
/// name come from one keyed function of the name (<see cref="InstallationSecret"/>): stable across restarts, the same
/// shape, and computable by nobody without the data folder, so a SCRAM exchange does not tell which names exist.
/// </summary>
public sealed class SecretLookup(IUserDirectory users, InstallationSecret? secret = null)
    : IPlainSecretLookup, ICramMd5SecretSource, IScramCredentialSource
{
    private const string SaltPurpose = "postino-scram-salt";
    private static readonly string[] PlainSchemes = ["PLAIN", "CLEAR", "CLEARTEXT"];

    private readonly InstallationSecret _secret = secret ?? InstallationSecret.Ephemeral();

    public async ValueTask<string?> FindPlainSecretAsync(string user, CancellationToken cancellationToken)
    {
        var record = await FindAsync(user, cancellationToken).ConfigureAwait(false);
        return record is not null && TryGetPlain(record.Password, out var secret) ? secret : null;
    }

    public async ValueTask<CramMd5Secret?> FindCramMd5SecretAsync(string user, CancellationToken cancellationToken)
    {
        var record = await FindAsync(user, cancellationToken).ConfigureAwait(false);
        return record is not null && TryGetPlain(record.Password, out var secret) ? new CramMd5Secret(record.Name, secret) : null;
    }

    public async ValueTask<ScramCredential?> FindScramSha256CredentialAsync(string user, CancellationToken cancellationToken)
    {
        var record = await FindAsync(user, cancellationToken).ConfigureAwait(false);
        if (record is null || !PasswordSchemeRegistry.TrySplit(record.Password, out var scheme, out var encoded))
        {
            return MadeUp(user);
        }

        if (scheme == ScramSha256Scheme.SchemeName && ScramSha256Credentials.TryParse(encoded, out var stored))
        {
            return new ScramCredential(record.Name, stored.Iterations, stored.Salt, stored.StoredKey, stored.ServerKey);
        }

        if (TryGetPlain(record.Password, out var secret))
        {
            // A salt fixed per user keeps what the client sees the same from one login to the next, as stored keys would.
            var prepared = PrecisProfiles.OpaqueString(secret) ?? secret;
            return ScramCredential.Derive(record.Name, prepared, Salt(record.Name), ScramSha256Credentials.DefaultIterations);
        }

        return MadeUp(record.Name);
    }

    /// <summary>Keys no proof matches, behind the salt and iteration count a {PLAIN} user of that name would have.</summary>
    private ScramCredential MadeUp(string user) => new(
        user, ScramSha256Credentials.DefaultIterations, Salt(user), RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));

    private byte[] Salt(string user) => _secret.Derive(SaltPurpose, user);

    private async ValueTask<UserRecord?> FindAsync(string user, CancellationToken cancellationToken) =>
        UserName.IsValid(user) ? await users.FindAsync(user, cancellationToken).ConfigureAwait(false) : null;

    private static bool TryGetPlain(string stored, out string secret)
    {
        secret = string.Empty;
        if (!stored.StartsWith('{')
            || !PasswordSchemeRegistry.TrySplit(stored, out var scheme, out var encoded)
            || !PlainSchemes.Contains(scheme))
        {
            return false;
        }

        secret = encoded;
        return true;
    }
}
