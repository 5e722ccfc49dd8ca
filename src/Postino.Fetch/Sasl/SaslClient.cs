namespace Postino.Fetch.Sasl;

/// <summary>
/// The client side of one SASL exchange (RFC 4422), independent of the protocol that carries it. Challenges and
/// responses are the decoded octets; the carrier does the base64.
/// </summary>
public abstract class SaslClient
{
    /// <summary>The IANA mechanism name, as sent in <c>AUTH</c>.</summary>
    public abstract string Mechanism { get; }

    /// <summary>The initial response sent with the AUTH command, or null when the mechanism waits for a challenge.</summary>
    public abstract byte[]? InitialResponse();

    /// <summary>Answers a server challenge; null means the challenge is malformed or unexpected (cancel the exchange).</summary>
    public abstract byte[]? Respond(ReadOnlySpan<byte> challenge);

    /// <summary>
    /// Answers a challenge whose computation may be long (SCRAM's key derivation); it stops with
    /// <see cref="OperationCanceledException"/> once <paramref name="cancellationToken"/> fires.
    /// </summary>
    public virtual byte[]? Respond(ReadOnlySpan<byte> challenge, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Respond(challenge);
    }

    /// <summary>
    /// Whether the server proved it knows the password (SCRAM's server signature). Mechanisms without that proof
    /// report true once they have sent everything.
    /// </summary>
    public abstract bool ServerVerified { get; }

    /// <summary>The client mechanisms this library speaks, strongest first.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["SCRAM-SHA-256", "PLAIN", "LOGIN"];

    /// <summary>A client for <paramref name="mechanism"/>, or null when it is not supported.</summary>
    public static SaslClient? Create(string mechanism, string user, string password) => mechanism.ToUpperInvariant() switch
    {
        "SCRAM-SHA-256" => new ScramSha256Client(user, password),
        "PLAIN" => new PlainSaslClient(user, password),
        "LOGIN" => new LoginSaslClient(user, password),
        _ => null,
    };
}
