namespace Postino.Server.Pop2;

/// <summary>The server states of RFC 937 (pages 18 and 22-23); LSTN is the listener's, not a session's.</summary>
public enum Pop2State
{
    /// <summary>Greeting sent, waiting for HELO.</summary>
    Auth,

    /// <summary>A mailbox is selected (HELO or FOLD).</summary>
    Mbox,

    /// <summary>A current message has been announced (READ or an acknowledgement).</summary>
    Item,

    /// <summary>A message was sent by RETR and awaits ACKS, ACKD or NACK.</summary>
    Next,

    /// <summary>The session is over.</summary>
    Done,
}
