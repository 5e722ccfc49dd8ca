using Postino.Protocols.Sasl;

namespace Postino.Protocols.Tests.Sasl;

/// <summary>An in-memory user table answering all the mechanisms' credential questions.</summary>
internal sealed class FakeCredentials : ISaslPasswordVerifier, ICramMd5SecretSource, IScramCredentialSource
{
    private readonly Dictionary<string, string> _passwords = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ScramCredential> _scram = new(StringComparer.OrdinalIgnoreCase);

    public SaslPasswordOutcome? ForcedOutcome { get; set; }

    public List<string> Lookups { get; } = [];

    public FakeCredentials WithPassword(string user, string password)
    {
        _passwords[user] = password;
        return this;
    }

    public FakeCredentials WithScram(ScramCredential credential)
    {
        _scram[credential.User] = credential;
        return this;
    }

    public ValueTask<SaslPasswordVerdict> VerifyAsync(string user, string password, CancellationToken cancellationToken)
    {
        Lookups.Add(user);
        if (ForcedOutcome is { } forced)
        {
            return ValueTask.FromResult(new SaslPasswordVerdict(forced));
        }

        var ok = _passwords.TryGetValue(user, out var expected) && expected == password;
        return ValueTask.FromResult(ok
            ? new SaslPasswordVerdict(SaslPasswordOutcome.Success, _passwords.Keys.First(k => k.Equals(user, StringComparison.OrdinalIgnoreCase)))
            : new SaslPasswordVerdict(SaslPasswordOutcome.BadCredentials));
    }

    public ValueTask<CramMd5Secret?> FindCramMd5SecretAsync(string user, CancellationToken cancellationToken)
    {
        Lookups.Add(user);
        return ValueTask.FromResult(_passwords.TryGetValue(user, out var secret) ? new CramMd5Secret(user, secret) : null);
    }

    public ValueTask<ScramCredential?> FindScramSha256CredentialAsync(string user, CancellationToken cancellationToken)
    {
        Lookups.Add(user);
        return ValueTask.FromResult(_scram.GetValueOrDefault(user));
    }
}
