using System.Text;

namespace Postino.Protocols.Sasl;

/// <summary>What the session sends after a step of <see cref="SaslExchange"/>.</summary>
public abstract record SaslExchangeReply
{
    private SaslExchangeReply()
    {
    }

    /// <summary>Send "+ " followed by <paramref name="Base64"/> (may be empty) and read the next line.</summary>
    public sealed record Continue(string Base64) : SaslExchangeReply;

    /// <summary>Send "+OK ...": the client is logged in as <paramref name="User"/>.</summary>
    public sealed record Succeeded(string User) : SaslExchangeReply
    {
        /// <summary>PLAIN and LOGIN: the password verifier's verdict on this exchange; null for the other mechanisms.</summary>
        public SaslPasswordVerdict? Verdict { get; init; }
    }

    /// <summary>Send "-ERR ..." and go back to AUTHORIZATION.</summary>
    public sealed record Failed(SaslFailureReason Reason, string? AttemptedUser) : SaslExchangeReply
    {
        /// <summary>PLAIN and LOGIN refused as too soon: the password verifier's verdict; null otherwise.</summary>
        public SaslPasswordVerdict? Verdict { get; init; }
    }
}

/// <summary>
/// Drives one mechanism over the POP3 AUTH wire conventions (RFC 5034): base64 in both directions, "*" cancels,
/// malformed base64 fails the exchange without desynchronising the session, and additional data with success is sent
/// as a last challenge that the client acknowledges with an empty line (RFC 4422 section 4, 3c).
/// </summary>
public sealed class SaslExchange
{
    private readonly ISaslServerMechanism _mechanism;
    private State _state = State.NotStarted;
    private string? _pendingUser;

    public SaslExchange(ISaslServerMechanism mechanism)
    {
        ArgumentNullException.ThrowIfNull(mechanism);
        _mechanism = mechanism;
    }

    public string MechanismName => _mechanism.Name;

    /// <summary>True once a Succeeded or Failed reply was produced.</summary>
    public bool IsOver => _state == State.Over;

    /// <summary>
    /// Starts the exchange. <paramref name="initialResponse"/> is the raw argument after the mechanism name (base64 or
    /// "="), or null when the command had none.
    /// </summary>
    public async ValueTask<SaslExchangeReply> StartAsync(string? initialResponse, CancellationToken cancellationToken)
    {
        if (_state != State.NotStarted)
        {
            return Over(SaslFailureReason.ExchangeOver, null);
        }

        byte[]? decoded = null;
        if (initialResponse is not null)
        {
            var parsed = SaslBase64.ParseInitialResponse(Encoding.ASCII.GetBytes(initialResponse));
            if (parsed.Kind != SaslResponseKind.Data)
            {
                return Over(SaslFailureReason.MalformedResponse, null);
            }

            decoded = parsed.Data;
        }

        _state = State.InMechanism;
        return Translate(await _mechanism.StartAsync(decoded, cancellationToken));
    }

    /// <summary>Feeds the client's next line (CRLF optional).</summary>
    public ValueTask<SaslExchangeReply> ContinueAsync(string line, CancellationToken cancellationToken) =>
        ContinueAsync(Encoding.UTF8.GetBytes(line), cancellationToken);

    /// <summary>Feeds the client's next line as received (CRLF optional).</summary>
    public async ValueTask<SaslExchangeReply> ContinueAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        if (_state is State.NotStarted or State.Over)
        {
            return Over(SaslFailureReason.ExchangeOver, null);
        }

        var parsed = SaslBase64.ParseResponseLine(line.Span);
        if (parsed.Kind == SaslResponseKind.Cancel)
        {
            return Over(SaslFailureReason.Cancelled, _pendingUser);
        }

        if (parsed.Kind == SaslResponseKind.Malformed)
        {
            return Over(SaslFailureReason.MalformedResponse, _pendingUser);
        }

        if (_state == State.AwaitingFinalAcknowledgement)
        {
            return parsed.Data.Length == 0
                ? Succeed(_pendingUser!)
                : Over(SaslFailureReason.MalformedResponse, _pendingUser);
        }

        return Translate(await _mechanism.StepAsync(parsed.Data, cancellationToken));
    }

    private SaslExchangeReply Translate(SaslStep step)
    {
        switch (step)
        {
            case SaslStep.Challenge challenge:
                return new SaslExchangeReply.Continue(SaslBase64.Encode(challenge.Data));
            case SaslStep.Success { FinalData: { } finalData } success:
                _pendingUser = success.User;
                _state = State.AwaitingFinalAcknowledgement;
                return new SaslExchangeReply.Continue(SaslBase64.Encode(finalData));
            case SaslStep.Success success:
                return Succeed(success.User) with { Verdict = success.Verdict };
            case SaslStep.Failure failure:
                return Over(failure.Reason, failure.AttemptedUser) with { Verdict = failure.Verdict };
            default:
                throw new InvalidOperationException("Unknown SASL step " + step.GetType().Name);
        }
    }

    private SaslExchangeReply.Succeeded Succeed(string user)
    {
        _state = State.Over;
        return new SaslExchangeReply.Succeeded(user);
    }

    private SaslExchangeReply.Failed Over(SaslFailureReason reason, string? attemptedUser)
    {
        _state = State.Over;
        return new SaslExchangeReply.Failed(reason, attemptedUser);
    }

    private enum State
    {
        NotStarted,
        InMechanism,
        AwaitingFinalAcknowledgement,
        Over,
    }
}
