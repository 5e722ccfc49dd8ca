namespace Postino.Server.Sessions;

/// <summary>What a protocol tells the kernel after handling a batch of input.</summary>
public enum SessionStep
{
    /// <summary>Wait for more input (or, after <see cref="SessionKernel.RequestUpgrade"/>, start TLS first).</summary>
    Continue,

    /// <summary>The session is over: flush the last reply and close (QUIT, too many bad commands, a fatal error).</summary>
    Close,
}
