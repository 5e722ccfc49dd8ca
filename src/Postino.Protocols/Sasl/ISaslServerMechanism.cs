namespace Postino.Protocols.Sasl;

/// <summary>
/// The server side of one SASL mechanism for one exchange: a state machine fed with decoded client responses. It never
/// touches sockets or storage; credentials come through the sources given to its constructor. One instance per
/// exchange; after a <see cref="SaslStep.Success"/> or <see cref="SaslStep.Failure"/> it only answers
/// <see cref="SaslFailureReason.ExchangeOver"/>.
/// </summary>
public interface ISaslServerMechanism
{
    /// <summary>The IANA mechanism name, upper case (e.g. "SCRAM-SHA-256").</summary>
    string Name { get; }

    /// <summary>
    /// Begins the exchange. <paramref name="initialResponse"/> is the decoded initial response of
    /// "AUTH mech initial" (empty for "="), or null when the client sent none.
    /// </summary>
    ValueTask<SaslStep> StartAsync(byte[]? initialResponse, CancellationToken cancellationToken);

    /// <summary>Feeds the client's decoded answer to the last challenge.</summary>
    ValueTask<SaslStep> StepAsync(byte[] response, CancellationToken cancellationToken);
}
