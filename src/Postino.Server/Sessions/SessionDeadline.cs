namespace Postino.Server.Sessions;

/// <summary>Why <see cref="SessionInput.ReadAsync"/> gave up waiting.</summary>
public enum SessionDeadline
{
    /// <summary>Input arrived.</summary>
    None,

    /// <summary>Nothing arrived between commands for the protocol's idle timeout.</summary>
    Idle,

    /// <summary>A command line started but its line end did not arrive within Limits:CommandTimeout.</summary>
    Command,

    /// <summary>Not logged in within Limits:LoginTimeout.</summary>
    Login,

    /// <summary>DATA arrived slower than Limits:MinDataRate on average.</summary>
    DataRate,

    /// <summary>The server is stopping (SIGTERM) and the session was waiting for a command.</summary>
    Shutdown,
}
