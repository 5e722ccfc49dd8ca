namespace Postino.Server.Pop3;

/// <summary>RFC 1939 session states; as flags, the set of states a command is allowed in.</summary>
[Flags]
public enum Pop3States
{
    None = 0,
    Authorization = 1,
    Transaction = 2,

    /// <summary>After QUIT in TRANSACTION, while the maildrop commits; no command runs here.</summary>
    Update = 4,
    Any = Authorization | Transaction,
}
