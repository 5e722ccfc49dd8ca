namespace Postino.Storage.Users.Schemes;

/// <summary>{SCRAM-SHA-256}: stored keys only, so SASL SCRAM works without a plaintext secret on the server.</summary>
public sealed class ScramSha256Scheme : IPasswordHasher
{
    public const string SchemeName = "SCRAM-SHA-256";

    public string Name => SchemeName;

    public bool IsWellFormed(string encoded) => ScramSha256Credentials.TryParse(encoded, out _);

    public bool Verify(string password, string encoded) =>
        ScramSha256Credentials.TryParse(encoded, out var credentials) && credentials.Matches(password);

    public string Hash(string password) => ScramSha256Credentials.Create(password).Encode();
}
