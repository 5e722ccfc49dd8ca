using System.IO.Pipelines;
using Postino.Server.Tls;
using Postino.Storage.Threading;

namespace Postino.Server.Sessions;

/// <summary>
/// The line-session kernel shared by POP3, POP2, SMTP and LMTP. It owns the connection's transport and runs the read
/// loop: every wait goes through <see cref="SessionInput"/> (idle, command, login, data-rate deadlines and the
/// server's stop), the protocol handles each batch (<see cref="ILineSessionProtocol"/>), and then the kernel
/// flushes, closes, or upgrades to TLS. The upgrade is the same for POP3 STLS and SMTP/LMTP STARTTLS:
/// <list type="number">
/// <item>the protocol writes its go-ahead reply and calls <see cref="RequestUpgrade"/>, then stops handling input;</item>
/// <item>everything received after that command is discarded (pipelined plaintext is an injection attempt: never a
///   command, never TLS data);</item>
/// <item>the go-ahead reply is flushed, the handshake runs, input and output switch to the TLS layer and the
///   protocol starts afresh (<see cref="ILineSessionProtocol.Upgraded"/>).</item>
/// </list>
/// The kernel is the one owner of the TLS layer: <see cref="DisposeAsync"/> closes it (close_notify) once.
/// </summary>
public sealed class SessionKernel : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private Func<IDuplexPipe, CancellationToken, ValueTask<IDuplexPipe>>? _pendingUpgrade;
    private IAsyncDisposable? _tls;
    private bool _upgraded;
    private bool _disposed;

    public SessionKernel(IDuplexPipe transport, TimeProvider time, SessionLimits limits, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(transport);
        Transport = transport;
        _time = time;
        Input = new SessionInput(transport.Input, time, limits, stopping);
    }

    /// <summary>The transport now in use: the connection's, or the TLS layer over it after an upgrade.</summary>
    public IDuplexPipe Transport { get; private set; }

    /// <summary>Where replies go (changes with <see cref="Transport"/>).</summary>
    public PipeWriter Output => Transport.Output;

    /// <summary>The deadlines of every wait for input.</summary>
    public SessionInput Input { get; }

    /// <summary>Why the last wait gave up (<see cref="SessionStop.Deadline"/>).</summary>
    public SessionDeadline Expired => Input.Expired;

    /// <summary>True while the loop waits for input (not while a reply is being flushed).</summary>
    public bool IsWaitingForInput { get; private set; }

    /// <summary>True between <see cref="RequestUpgrade"/> and the handshake: the protocol handles no more input.</summary>
    public bool UpgradePending => _pendingUpgrade is not null;

    /// <summary>Why the handshake failed (<see cref="SessionStop.UpgradeFailed"/>).</summary>
    public Exception? UpgradeFailure { get; private set; }

    /// <summary>
    /// After the current batch: discard pipelined input, flush, and replace the transport with the one
    /// <paramref name="upgrade"/> returns (a TLS handshake). Once per connection.
    /// </summary>
    public void RequestUpgrade(Func<IDuplexPipe, CancellationToken, ValueTask<IDuplexPipe>> upgrade)
    {
        ArgumentNullException.ThrowIfNull(upgrade);
        if (_upgraded || _pendingUpgrade is not null)
        {
            throw new InvalidOperationException("The transport was already upgraded.");
        }

        _pendingUpgrade = upgrade;
    }

    /// <summary>
    /// Runs the loop until the protocol closes, the client goes away, a deadline passes or the handshake fails.
    /// Exceptions from the protocol, the transport or <paramref name="cancellationToken"/> propagate.
    /// </summary>
    public async Task<SessionStop> RunAsync(ILineSessionProtocol protocol, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        while (true)
        {
            IsWaitingForInput = true;
            var next = await Input.ReadAsync(protocol.FlushesWhileWaiting ? Output : null, protocol.IdleTimeout, cancellationToken);
            IsWaitingForInput = false;
            if (next is not { } read)
            {
                return SessionStop.Deadline;
            }

            if (read.IsCanceled)
            {
                return SessionStop.Aborted;
            }

            if (!protocol.HandlesOnEventThread)
            {
                await OffEventLoop.Yield();
            }

            var buffer = read.Buffer;
            var batch = await protocol.HandleAsync(buffer, cancellationToken);

            // After the last command, and before a TLS upgrade, whatever else the client sent is thrown away.
            var discard = batch.Step == SessionStep.Close || _pendingUpgrade is not null;
            Input.AdvanceTo(buffer, discard ? buffer.End : batch.Consumed, buffer.End);
            if (_pendingUpgrade is { } upgrade)
            {
                _pendingUpgrade = null;
                StartTls.DiscardBufferedInput(Input.Reader);
                await protocol.FlushAsync(cancellationToken);
                if (!await UpgradeAsync(upgrade, cancellationToken))
                {
                    return SessionStop.UpgradeFailed;
                }

                protocol.Upgraded();
                continue;
            }

            if (batch.Step == SessionStep.Close && Transport is TlsConnection tls)
            {
                // The last replies and close_notify in one send.
                await tls.CloseWithAsync(() => protocol.FlushAsync(cancellationToken));
            }
            else if (batch.Step == SessionStep.Close || !protocol.FlushesWhileWaiting)
            {
                await protocol.FlushAsync(cancellationToken);
            }

            if (batch.Step == SessionStep.Close)
            {
                return SessionStop.Closed;
            }

            if (read.IsCompleted)
            {
                return SessionStop.EndOfInput;
            }
        }
    }

    /// <summary>
    /// The last flush before a close the server decided (a deadline, the server's stop, a fatal error): bounded by
    /// <paramref name="bound"/>, because a client that does not read is not waited for. Never throws.
    /// </summary>
    public async ValueTask FlushBeforeCloseAsync(TimeSpan bound)
    {
        try
        {
            using var timeout = new CancellationTokenSource(bound, _time);
            await Output.FlushAsync(timeout.Token);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException)
        {
            // The client is gone or does not read; close anyway.
        }
    }

    /// <summary>Closes the TLS layer, if any (once, however often this is called), and the deadline timer.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Input.Dispose();
        if (_tls is { } tls)
        {
            _tls = null;
            await tls.DisposeAsync();
        }
    }

    private async ValueTask<bool> UpgradeAsync(
        Func<IDuplexPipe, CancellationToken, ValueTask<IDuplexPipe>> upgrade,
        CancellationToken cancellationToken)
    {
        _upgraded = true;
        IDuplexPipe secured;
        try
        {
            secured = await upgrade(Transport, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            UpgradeFailure = e;
            return false;
        }

        if (!ReferenceEquals(secured, Transport) && secured is IAsyncDisposable owned)
        {
            _tls = owned;
        }

        Transport = secured;
        Input.Replace(secured.Input);
        return true;
    }
}
