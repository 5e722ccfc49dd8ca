namespace Postino.Server.Hosting;

/// <summary>The slot an admitted connection holds in its listener's caps.</summary>
public interface IConnectionAdmissionFeature
{
    /// <summary>
    /// Frees the slot now (idempotent; the admission middleware frees it anyway when the connection ends). A handler
    /// calls it before its last reply, so that a client which reconnects as soon as it reads that reply gets in.
    /// </summary>
    void Release();
}
