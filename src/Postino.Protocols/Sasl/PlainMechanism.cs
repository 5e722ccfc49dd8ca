namespace Postino.Protocols.Sasl;

/// <summary>
/// PLAIN (RFC 4616): one message "[authzid] NUL authcid NUL passwd" in UTF-8. Without an initial response the server
/// first sends an empty challenge.
/// </summary>
public sealed class PlainMechanism : SaslServerMechanism
{
    private readonly ISaslPasswordVerifier _verifier;
    private readonly SaslAuthorizationPolicy _authorization;

    public PlainMechanism(ISaslPasswordVerifier verifier, SaslAuthorizationPolicy? authorization = null)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        _verifier = verifier;
        _authorization = authorization ?? SaslAuthorization.SameUserOnly;
    }

    public override string Name => SaslMechanismNames.Plain;

    protected override ValueTask<SaslStep> OnStartAsync(byte[]? initialResponse, CancellationToken cancellationToken) =>
        initialResponse is null
            ? ValueTask.FromResult<SaslStep>(new SaslStep.Challenge([]))
            : VerifyAsync(initialResponse, cancellationToken);

    protected override ValueTask<SaslStep> OnStepAsync(byte[] response, CancellationToken cancellationToken) =>
        VerifyAsync(response, cancellationToken);

    private async ValueTask<SaslStep> VerifyAsync(byte[] message, CancellationToken cancellationToken)
    {
        if (!TryParse(message, out var authzid, out var authcid, out var password))
        {
            return Fail(SaslFailureReason.MalformedResponse);
        }

        var verdict = await _verifier.VerifyAsync(authcid, password, cancellationToken);
        return PasswordVerdicts.ToStep(verdict, authcid, authzid, _authorization);
    }

    /// <summary>Splits a PLAIN message; false when it is not exactly three UTF-8 fields with a non-empty authcid and password.</summary>
    public static bool TryParse(ReadOnlySpan<byte> message, out string authzid, out string authcid, out string password)
    {
        authzid = authcid = password = string.Empty;
        var first = message.IndexOf((byte)0);
        if (first < 0)
        {
            return false;
        }

        var rest = message[(first + 1)..];
        var second = rest.IndexOf((byte)0);
        if (second < 0)
        {
            return false;
        }

        var passwordBytes = rest[(second + 1)..];
        if (second == 0 || passwordBytes.IsEmpty || passwordBytes.Contains((byte)0))
        {
            return false;
        }

        return SaslText.TryDecode(message[..first], out authzid)
            && SaslText.TryDecode(rest[..second], out authcid)
            && SaslText.TryDecode(passwordBytes, out password);
    }
}
