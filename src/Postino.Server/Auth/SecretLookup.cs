using System.Security.Cryptography;
using System.Text;
using Postino.Storage.Users;
using Postino.Storage.Users.Schemes;

namespace Postino.Server.Auth;

/// <summary>Both secret lookups over the user directory.</summary>
public sealed class SecretLookup(IUserDirectory users) : IPlainSecretLookup, IScramCredentialLookup
{
    private static readonly string[] PlainSchemes = ["PLAIN", "CLEAR", "CLEARTEXT"];
    private readonly byte[] dummyKey = RandomNumberGenerator.GetBytes(32);

    public async ValueTask<string?> FindPlainSecretAsync(string user, CancellationToken cancellationToken)
    {
        var record = await FindAsync(user, cancellationToken).ConfigureAwait(false);
        return record is not null && TryGetPlain(record.Password, out var secret) ? secret : null;
    }

    public async ValueTask<ScramLookup> FindScramSha256Async(string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var record = await FindAsync(user, cancellationToken).ConfigureAwait(false);
        if (record is not null && PasswordSchemeRegistry.TrySplit(record.Password, out var scheme, out var encoded))
        {
            if (scheme == ScramSha256Scheme.SchemeName
                && ScramSha256Credentials.TryParse(encoded, out var stored))
            {
                return new ScramLookup(stored, Exists: true);
            }

            if (TryGetPlain(record.Password, out var secret))
            {
                // A stable salt per user keeps the salt the client sees the same from one login to the next.
                var salt = Derive("scram-salt", record.Name)[..16];
                return new ScramLookup(
                    ScramSha256Credentials.FromPassword(secret, salt, ScramSha256Credentials.DefaultIterations), Exists: true);
            }
        }

        var dummy = new ScramSha256Credentials(
            ScramSha256Credentials.DefaultIterations,
            Derive("scram-salt", user)[..16],
            Derive("scram-stored", user),
            Derive("scram-server", user));
        return new ScramLookup(dummy, Exists: false);
    }

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

    private byte[] Derive(string purpose, string user) =>
        HMACSHA256.HashData(dummyKey, Encoding.UTF8.GetBytes(purpose + "\0" + user));
}
