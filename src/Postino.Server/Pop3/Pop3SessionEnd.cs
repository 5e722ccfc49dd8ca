namespace Postino.Server.Pop3;

/// <summary>How a session ended (logged at logout).</summary>
public enum Pop3SessionEnd
{
    /// <summary>Still running.</summary>
    None,

    /// <summary>QUIT; in TRANSACTION the commit succeeded.</summary>
    Quit,

    /// <summary>QUIT in TRANSACTION, but the commit failed (-ERR [SYS/...] sent).</summary>
    CommitFailed,

    /// <summary>The client closed or reset the connection without QUIT.</summary>
    Disconnected,

    IdleTimeout,
    TooManyBadCommands,

    /// <summary>A command line (or SASL response) was not completed within Limits:CommandTimeout.</summary>
    CommandTimeout,

    /// <summary>Not logged in within Limits:LoginTimeout.</summary>
    LoginTimeout,

    /// <summary>The server stopped (SIGTERM) while the session waited for a command: nothing was committed.</summary>
    Shutdown,

    /// <summary>The server closed the connection (shutdown after the grace period, or a cancelled session).</summary>
    Aborted,

    /// <summary>The transport upgrade (STLS handshake) failed.</summary>
    UpgradeFailed,

    /// <summary>An unexpected failure (a message stream that broke mid-RETR).</summary>
    Failed,
}
