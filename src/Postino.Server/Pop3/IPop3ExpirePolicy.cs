namespace Postino.Server.Pop3;

/// <summary>
/// The value of the EXPIRE capability (RFC 2449): "NEVER", "0", a number of days, optionally followed by "USER" after
/// login when it is per user. Before login <see cref="Pop3Session.User"/> is null: announce the server default.
/// </summary>
public interface IPop3ExpirePolicy
{
    string GetExpireValue(Pop3Session session);
}

/// <summary>Mail is kept until the client deletes it.</summary>
public sealed class NeverExpirePolicy : IPop3ExpirePolicy
{
    public string GetExpireValue(Pop3Session session) => "NEVER";
}
