namespace Postino.Protocols.Sasl;

/// <summary>
/// Shared bookkeeping for the mechanisms: once a terminal step was returned, every later call answers
/// <see cref="SaslFailureReason.ExchangeOver"/>, and StartAsync may run only once.
/// </summary>
public abstract class SaslServerMechanism : ISaslServerMechanism
{
    private bool _started;
    private bool _over;

    public abstract string Name { get; }

    public async ValueTask<SaslStep> StartAsync(byte[]? initialResponse, CancellationToken cancellationToken)
    {
        if (_started || _over)
        {
            return Finish(new SaslStep.Failure(SaslFailureReason.ExchangeOver, null));
        }

        _started = true;
        return Finish(await OnStartAsync(initialResponse, cancellationToken));
    }

    public async ValueTask<SaslStep> StepAsync(byte[] response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!_started || _over)
        {
            return Finish(new SaslStep.Failure(SaslFailureReason.ExchangeOver, null));
        }

        return Finish(await OnStepAsync(response, cancellationToken));
    }

    protected abstract ValueTask<SaslStep> OnStartAsync(byte[]? initialResponse, CancellationToken cancellationToken);

    protected abstract ValueTask<SaslStep> OnStepAsync(byte[] response, CancellationToken cancellationToken);

    protected static SaslStep.Failure Fail(SaslFailureReason reason, string? attemptedUser = null) => new(reason, attemptedUser);

    private SaslStep Finish(SaslStep step)
    {
        if (step is not SaslStep.Challenge)
        {
            _over = true;
        }

        return step;
    }
}
