namespace Postino.Protocols.Pop2;

/// <summary>The POP2 commands of RFC 937.</summary>
public enum Pop2Verb
{
    Helo,
    Fold,
    Read,
    Retr,
    Acks,
    Ackd,
    Nack,
    Quit,
}
