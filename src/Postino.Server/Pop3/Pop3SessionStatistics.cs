namespace Postino.Server.Pop3;

/// <summary>What a session did, for the logout line.</summary>
public sealed class Pop3SessionStatistics
{
    public int RetrCount { get; internal set; }

    /// <summary>Octets of message data sent by RETR (wire form, dot-stuffed).</summary>
    public long RetrBytes { get; internal set; }

    public int TopCount { get; internal set; }

    public long TopBytes { get; internal set; }

    /// <summary>Successful DELE commands (applied only if the session ends with a committed QUIT).</summary>
    public int DeleCount { get; internal set; }
}
