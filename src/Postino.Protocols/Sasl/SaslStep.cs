namespace Postino.Protocols.Sasl;

/// <summary>
/// What a server mechanism answers to the client's last response: another challenge, success or failure.
/// </summary>
public abstract record SaslStep
{
    private SaslStep()
    {
    }

    /// <summary>The exchange goes on: the server sends these bytes (base64 on the wire) and waits for a response.</summary>
    public sealed record Challenge(byte[] Data) : SaslStep;

    /// <summary>
    /// The client is authenticated as <paramref name="User"/> (the authorization identity, in the credential source's
    /// canonical spelling). <paramref name="FinalData"/> is the mechanism's additional data with success (SCRAM's
    /// server signature), or null.
    /// </summary>
    public sealed record Success(string User, byte[]? FinalData) : SaslStep
    {
        /// <summary>PLAIN and LOGIN: the password verifier's verdict (LOGIN-DELAY); null for self-verifying mechanisms.</summary>
        public SaslPasswordVerdict? Verdict { get; init; }
    }

    /// <summary>
    /// The exchange is over without a login. <paramref name="AttemptedUser"/> is the authentication identity the client
    /// gave, when it got that far (for the login penalty and the log; never a password).
    /// </summary>
    public sealed record Failure(SaslFailureReason Reason, string? AttemptedUser) : SaslStep
    {
        /// <summary>PLAIN and LOGIN refused as too soon: the verifier's verdict (retry time, LOGIN-DELAY); else null.</summary>
        public SaslPasswordVerdict? Verdict { get; init; }
    }
}
