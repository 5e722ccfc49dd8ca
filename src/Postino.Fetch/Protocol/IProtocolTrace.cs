namespace Postino.Fetch.Protocol;

/// <summary>
/// Receives the protocol conversation line by line, for <c>--verbose</c>. Clients pass secrets (passwords, SASL
/// responses, APOP digests) already redacted; message contents are never traced, only their sizes.
/// </summary>
public interface IProtocolTrace
{
    /// <summary>A line the client sent (without CRLF).</summary>
    void ClientLine(string line);

    /// <summary>A line the server sent (without CRLF).</summary>
    void ServerLine(string line);
}
