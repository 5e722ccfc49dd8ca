namespace Postino.Fetch.Pop3;

/// <summary>STAT: how many messages and how many octets the maildrop holds.</summary>
public readonly record struct Pop3Stat(int Count, long Size);

/// <summary>One line of LIST: a message's number and its size in octets.</summary>
public readonly record struct Pop3Listing(int Msn, long Size);

/// <summary>One line of UIDL: a message's number and its unique id.</summary>
public readonly record struct Pop3UidlEntry(int Msn, string Uidl);

/// <summary>How <see cref="Pop3Client.AuthenticateAsync"/> logs in.</summary>
public enum Pop3AuthMethod
{
    /// <summary>The strongest the server offers: SCRAM-SHA-256, APOP, PLAIN, LOGIN, then USER/PASS.</summary>
    Auto,

    UserPass,
    Apop,
    Plain,
    Login,
    ScramSha256,
}
