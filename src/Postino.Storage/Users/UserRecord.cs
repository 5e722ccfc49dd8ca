namespace Postino.Storage.Users;

/// <summary>
/// One line of a Dovecot passwd-file: <c>name:{SCHEME}hash:uid:gid:gecos:home:shell:extra</c>.
/// <see cref="Extra"/> holds the space-separated <c>key=value</c> fields (userdb_/ prefixes kept as written).
/// </summary>
public sealed record UserRecord(
    string Name,
    string Password,
    string Uid,
    string Gid,
    string Gecos,
    string Home,
    string Shell,
    IReadOnlyDictionary<string, string> Extra);
