namespace Postino.Storage.Users.Schemes;

/// <summary>
/// One Dovecot password scheme: the part of a users-file password after <c>{SCHEME}</c>. Verification compares in
/// constant time. Passwords are hashed as their UTF-8 bytes, as Dovecot does.
/// </summary>
public interface IPasswordScheme
{
    /// <summary>The scheme name as written between braces, upper case (e.g. <c>SHA512-CRYPT</c>).</summary>
    string Name { get; }

    /// <summary>True when <paramref name="encoded"/> has this scheme's syntax (checked when the users file loads).</summary>
    bool IsWellFormed(string encoded);

    /// <summary>True when <paramref name="password"/> matches; false for a mismatch or a malformed <paramref name="encoded"/>.</summary>
    bool Verify(string password, string encoded);
}

/// <summary>A scheme that can also make new hashes (the ones <c>postino user</c> may write).</summary>
public interface IPasswordHasher : IPasswordScheme
{
    /// <summary>A new encoded hash of <paramref name="password"/> with a fresh random salt (without the <c>{SCHEME}</c> prefix).</summary>
    string Hash(string password);
}
