namespace Postino.Server.Sessions;

/// <summary>Why <see cref="SessionKernel.RunAsync"/> returned.</summary>
public enum SessionStop
{
    /// <summary>The protocol closed the session (<see cref="SessionStep.Close"/>); its last reply was flushed.</summary>
    Closed,

    /// <summary>The client closed its side.</summary>
    EndOfInput,

    /// <summary>A deadline passed or the server is stopping: <see cref="SessionKernel.Expired"/> says which.</summary>
    Deadline,

    /// <summary>The host cancelled the pending read.</summary>
    Aborted,

    /// <summary>The STLS/STARTTLS handshake failed: <see cref="SessionKernel.UpgradeFailure"/> says why.</summary>
    UpgradeFailed,
}
