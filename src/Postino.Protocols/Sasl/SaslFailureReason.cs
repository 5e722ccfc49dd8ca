namespace Postino.Protocols.Sasl;

/// <summary>Why a SASL exchange ended without a login.</summary>
public enum SaslFailureReason
{
    /// <summary>The client sent "*".</summary>
    Cancelled,

    /// <summary>The response was not valid base64, not UTF-8, or not the mechanism's syntax.</summary>
    MalformedResponse,

    /// <summary>Unknown user or wrong password/proof.</summary>
    BadCredentials,

    /// <summary>The authenticated user may not act as the requested authorization identity.</summary>
    AuthorizationDenied,

    /// <summary>SCRAM channel binding was missing, of an unsupported type, did not match, or was downgraded.</summary>
    ChannelBindingMismatch,

    /// <summary>The user's LOGIN-DELAY has not passed yet (reported by the password verifier).</summary>
    TooSoon,

    /// <summary>The credentials could not be read just now.</summary>
    TemporaryFailure,

    /// <summary>A response arrived after the exchange had already ended.</summary>
    ExchangeOver,
}
