namespace Postino.Protocols.Sasl;

/// <summary>
/// What a connection contributes to SASL: the password verifier bound to its remote address, whether plaintext
/// mechanisms may be used on it (TLS or a trusted network), and its channel-binding data when TLS is active.
/// </summary>
public sealed record SaslConnection(ISaslPasswordVerifier PasswordVerifier, bool PlaintextAllowed, byte[]? TlsServerEndPoint = null);
