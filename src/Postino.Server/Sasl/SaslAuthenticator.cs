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
    /// <param name="cramSecrets">CRAM-MD5 secrets ({PLAIN} users).</param>
    /// <param name="scramCredentials">SCRAM-SHA-256 stored keys (made-up stable keys for unknown users, which fail at the proof).</param>
    /// <param name="policy">Penalty and LOGIN-DELAY for the mechanisms that verify on their own.</param>
    /// <param name="users">To find the record of a user CRAM-MD5 or SCRAM verified.</param>
    /// <param name="enabledMechanisms">Restricts the mechanisms by name; null = all.</param>
    public SaslAuthenticator(
        string hostName,
        IPasswordAuthenticator passwords,
        ICramMd5SecretSource cramSecrets,
        IScramCredentialSource scramCredentials,
        ILoginPolicy policy,
        IUserDirectory users,
        IEnumerable<string>? enabledMechanisms = null)
    {
        ArgumentNullException.ThrowIfNull(passwords);
        ArgumentNullException.ThrowIfNull(cramSecrets);
        ArgumentNullException.ThrowIfNull(scramCredentials);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(users);
        _passwords = passwords;
        _policy = policy;
        _users = users;
        _mechanisms = new SaslMechanismFactory(hostName, cramSecrets, scramCredentials, enabledMechanisms);
    }

    /// <summary>The mechanisms a connection may use (CAPA's SASL line): see <see cref="SaslConnectionAuthenticator.Available"/>.</summary>
    public IReadOnlyList<string> Available(bool plaintextAllowed, byte[]? tlsServerEndPoint) =>
        _mechanisms.Available(new SaslConnection(NoPasswords.Instance, plaintextAllowed, tlsServerEndPoint));

    public SaslConnectionAuthenticator ForConnection(IPAddress remoteAddress)
    {
        ArgumentNullException.ThrowIfNull(remoteAddress);
        return new SaslConnectionAuthenticator(_mechanisms, new PasswordVerifierAdapter(_passwords, remoteAddress), _policy, _users, remoteAddress);
    }

    /// <summary>Stands in where only the list of mechanisms is wanted.</summary>
    private sealed class NoPasswords : ISaslPasswordVerifier
    {
        public static NoPasswords Instance { get; } = new();

        public ValueTask<SaslPasswordVerdict> VerifyAsync(string user, string password, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new SaslPasswordVerdict(SaslPasswordOutcome.BadCredentials));
    }
}
