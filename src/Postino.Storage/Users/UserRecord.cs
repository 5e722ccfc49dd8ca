namespace Postino.Storage.Users;

/// <summary>
/// One line of a Dovecot passwd-file: <c>name:{SCHEME}hash:uid:gid:gecos:home:shell:extra</c>.
/// <see cref="Extra"/> holds the space-separated <c>key=value</c> fields (userdb_/ prefixes kept as written).
/// <see cref="Password"/> is the stored password as written, scheme prefix included; empty means no password login.
/// </summary>
public sealed record UserRecord(
    string Name,
    string Password,
    string Uid,
    string Gid,
    string Gecos,
    string Home,
    string Shell,
    IReadOnlyDictionary<string, string> Extra)
{
    /// <summary>A new user with only a name and a stored password (<c>{SCHEME}hash</c>).</summary>
    public static UserRecord Create(string name, string password) =>
        new(name, password, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty,
            new OrderedDictionary<string, string>(StringComparer.Ordinal));

    /// <summary>This user with extra field <paramref name="key"/> set to <paramref name="value"/> (null removes it).</summary>
    public UserRecord WithExtra(string key, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var extra = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (existingKey, existingValue) in Extra)
        {
            extra[existingKey] = existingValue;
        }

        if (value is null)
        {
            extra.Remove(key);
        }
        else
        {
            extra[key] = value;
        }

        return this with { Extra = extra };
    }
}
