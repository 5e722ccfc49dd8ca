using System.Net;
using Postino.Protocols.Sasl;
using Postino.Server.Auth;
using Postino.Storage.Users;

namespace Postino.Server.Sasl;

/// <summary>
/// The server's SASL (POP3 AUTH): the Protocols mechanisms wired to the user directory, the secret lookups and the
/// shared login policy. One per server; <see cref="ForConnection"/> gives the per-connection part.
/// </summary>
public sealed class SaslAuthenticator
{
    private readonly IPasswordAuthenticator _passwords;
    private readonly ILoginPolicy _policy;
    private readonly IUserDirectory _users;
    private readonly SaslMechanismFactory _mechanisms;

    /// <param name="hostName">Named in CRAM-MD5 challenges.</param>
    /// <param name="passwords">PLAIN and LOGIN (it applies the penalty and LOGIN-DELAY itself).</param>
    /// <param name="plainSecrets">CRAM-MD5 secrets ({PLAIN} users).</param>
    /// <param name="scramCredentials">SCRAM-SHA-256 stored keys.</param>
    /// <param name="policy">Penalty and LOGIN-DELAY for the mechanisms that verify on their own.</param>
    /// <param name="users">To find the record of a user CRAM-MD5 or SCRAM verified.</param>
    /// <param name="enabledMechanisms">Restricts the mechanisms by name; null = all.</param>
    public SaslAuthenticator(
        string hostName,
        IPasswordAuthenticator passwords,
        IPlainSecretLookup plainSecrets,
        IScramCredentialLookup scramCredentials,
        ILoginPolicy policy,
        IUserDirectory users,
        IEnumerable<string>? enabledMechanisms = null)
    {
        ArgumentNullException.ThrowIfNull(passwords);
        ArgumentNullException.ThrowIfNull(plainSecrets);
        ArgumentNullException.ThrowIfNull(scramCredentials);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(users);
        _passwords = passwords;
        _policy = policy;
        _users = users;
        var secrets = new SecretSources(plainSecrets, scramCredentials);
        _mechanisms = new SaslMechanismFactory(hostName, secrets, secrets, enabledMechanisms);
    }

    public SaslConnectionAuthenticator ForConnection(IPAddress remoteAddress)
    {
        ArgumentNullException.ThrowIfNull(remoteAddress);
        return new SaslConnectionAuthenticator(_mechanisms, new PasswordVerifierAdapter(_passwords, remoteAddress), _policy, _users, remoteAddress);
    }

    /// <summary>The user directory's secrets in the shape the mechanisms ask for.</summary>
    private sealed class SecretSources(IPlainSecretLookup plain, IScramCredentialLookup scram) : ICramMd5SecretSource, IScramCredentialSource
    {
        public async ValueTask<CramMd5Secret?> FindCramMd5SecretAsync(string user, CancellationToken cancellationToken)
        {
            var secret = await plain.FindPlainSecretAsync(user, cancellationToken);
            return secret is null ? null : new CramMd5Secret(user, secret);
        }

        // The lookup already makes up stable keys for unknown users (Exists = false), which fail at the proof.
        public async ValueTask<ScramCredential?> FindScramSha256CredentialAsync(string user, CancellationToken cancellationToken)
        {
            var found = await scram.FindScramSha256Async(user, cancellationToken);
            var keys = found.Credentials;
            return new ScramCredential(user, keys.Iterations, keys.Salt, keys.StoredKey, keys.ServerKey);
        }
    }
}
