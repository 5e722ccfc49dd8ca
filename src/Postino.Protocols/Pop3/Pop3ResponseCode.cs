namespace Postino.Protocols.Pop3;

/// <summary>An RFC 2449 extended response code, written in brackets after -ERR (or +OK).</summary>
public readonly record struct Pop3ResponseCode(string Value)
{
    /// <summary>RFC 2449: the mailbox is locked by another session.</summary>
    public static Pop3ResponseCode InUse { get; } = new("IN-USE");

    /// <summary>RFC 2449: the user must wait LOGIN-DELAY seconds between logins.</summary>
    public static Pop3ResponseCode LoginDelay { get; } = new("LOGIN-DELAY");

    /// <summary>RFC 3206: a temporary system failure; retrying later may work.</summary>
    public static Pop3ResponseCode SysTemp { get; } = new("SYS/TEMP");

    /// <summary>RFC 3206: a permanent system failure.</summary>
    public static Pop3ResponseCode SysPerm { get; } = new("SYS/PERM");

    /// <summary>RFC 3206: the credentials were refused (not a system problem).</summary>
    public static Pop3ResponseCode Auth { get; } = new("AUTH");

    public override string ToString() => Value;
}
