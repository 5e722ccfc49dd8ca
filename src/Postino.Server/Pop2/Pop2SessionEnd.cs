namespace Postino.Server.Pop2;

/// <summary>How a POP2 session ended (logged once per session). Only <see cref="Quit"/> commits.</summary>
public enum Pop2SessionEnd
{
    /// <summary>QUIT: marked deletions and retrievals were committed.</summary>
    Quit,

    /// <summary>QUIT, but the store could not apply everything.</summary>
    CommitFailed,

    /// <summary>Unknown or malformed command, command in the wrong state, RETR of no message, over-long line.</summary>
    ProtocolError,

    /// <summary>HELO refused: bad credentials, login too soon, or plaintext from an untrusted network.</summary>
    LoginRefused,

    /// <summary>The mailbox is held by another session (POP3 or POP2).</summary>
    MailboxInUse,

    /// <summary>The store failed, or a message's bytes did not match its announced size.</summary>
    StoreFailure,

    /// <summary>Idle for too long, a command line not completed within Limits:CommandTimeout, or not logged in within
    /// Limits:LoginTimeout.</summary>
    Timeout,

    /// <summary>The server stopped (SIGTERM) while the session waited for a command: nothing was committed.</summary>
    Shutdown,

    /// <summary>The client went away without QUIT.</summary>
    Disconnect,
}
