using Postino.Storage.Users.Schemes;

namespace Postino.Server.Auth;

/// <summary>
/// SCRAM-SHA-256 stored keys of a user, from a {SCRAM-SHA-256} password (or derived from a {PLAIN} one). For an unknown
/// user or another scheme the lookup returns made-up keys, stable per name, with <see cref="ScramLookup.Exists"/> false,
/// so the exchange runs to its end and fails like a wrong password without revealing which names exist.
/// </summary>
public interface IScramCredentialLookup
{
    ValueTask<ScramLookup> FindScramSha256Async(string user, CancellationToken cancellationToken);
}

/// <summary>The keys to run SCRAM with, and whether they are the user's real ones.</summary>
public sealed record ScramLookup(ScramSha256Credentials Credentials, bool Exists);
