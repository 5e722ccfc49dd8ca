using Postino.Storage.Users.Schemes;

namespace Postino.Server.Tests.Auth;

/// <summary>A stand-in for the default scheme that counts verifications (to see the dummy verification happen).</summary>
internal sealed class CountingScheme : IPasswordHasher
{
    private int verifications;

    public string Name => PasswordSchemeRegistry.DefaultSchemeName;

    public int Verifications => Volatile.Read(ref verifications);

    public bool IsWellFormed(string encoded) => encoded.StartsWith("counted:", StringComparison.Ordinal);

    public bool Verify(string password, string encoded)
    {
        Interlocked.Increment(ref verifications);
        return encoded == "counted:" + password;
    }

    public string Hash(string password) => "counted:" + password;
}
