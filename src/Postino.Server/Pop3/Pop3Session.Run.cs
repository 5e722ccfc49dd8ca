using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Postino.Protocols.Pop3;
using Postino.Server.Sessions;

namespace Postino.Server.Pop3;

public sealed partial class Pop3Session
{
    private CancellationTokenSource? _idle;
    private SessionInput? _input;
    private Func<IDuplexPipe, CancellationToken, ValueTask<IDuplexPipe>>? _pendingUpgrade;
    private bool _waitingForInput;
    private Func<Pop3Session, ReadOnlyMemory<byte>?, CancellationToken, ValueTask>? _continuation;

    /// <summary>
    /// Runs the session to its end: greeting, commands, logout. Returns when the client quits or goes away, the idle
    /// timeout passes, or <paramref name="cancellationToken"/> fires; only a QUIT commits anything. Never throws for
    /// what the client or the network does; the caller closes the transport afterwards.
    /// </summary>
    public async Task RunAsync(IDuplexPipe transport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _transport = transport;
        using var input = new SessionInput(transport.Input, Services.TimeProvider, Services.Limits, Services.Stopping);
        _input = input;
        input.StartLoginClock();
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, Services.TimeProvider);
        _idle = idle;
        using var stop = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), idle);
        try
        {
            WriteGreeting();
            await FlushAsync(idle.Token);
            while (!IsClosing)
            {
                await ReadBatchAsync(idle.Token);
            }
        }
        catch (ConnectionAbortedException)
        {
            Close(Pop3SessionEnd.Aborted);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Close(Pop3SessionEnd.Aborted);
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested)
        {
            Close(Pop3SessionEnd.IdleTimeout);
            await SayIdleTimeoutAsync();
        }
        catch (DeadlineException deadline)
        {
            await SayDeadlineAsync(deadline.Kind);
        }
        catch (UpgradeFailedException)
        {
            Close(Pop3SessionEnd.UpgradeFailed);
        }
        catch (Exception e) when (e is IOException or ClientGoneException)
        {
            Close(Pop3SessionEnd.Disconnected);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Close(Pop3SessionEnd.Failed);
            Pop3Log.SessionFailed(Services.Logger, e, Connection.RemoteDisplay, User ?? "-");
        }
        finally
        {
            await CloseMaildropAsync();
            Pop3Log.SessionEnded(
                Services.Logger,
                User ?? "-",
                Connection.RemoteDisplay,
                Tls.Pop3SessionTls.Describe(this),
                Statistics.RetrCount,
                Statistics.RetrBytes,
                Statistics.TopCount,
                Statistics.TopBytes,
                Statistics.DeleCount,
                End);
            Metrics.PostinoMetrics.Instance.SessionEnded(Connection.ListenerName, IsSecure, End.ToString(), Statistics.RetrCount, Statistics.RetrBytes, Statistics.TopCount, Statistics.TopBytes, End == Pop3SessionEnd.Quit ? Statistics.DeleCount : 0);
            _idle = null;
            _input = null;
        }
    }

    /// <summary>
    /// Asks for a new transport (STLS): after the current command's reply is flushed, input already received is
    /// thrown away (no command injection), <paramref name="upgrade"/> gets the current transport and returns the one
    /// to go on with, and the session continues with a fresh parser, in AUTHORIZATION with no pending USER. An
    /// exception from <paramref name="upgrade"/> (a failed handshake) ends the session.
    /// </summary>
    public void RequestTransportUpgrade(Func<IDuplexPipe, CancellationToken, ValueTask<IDuplexPipe>> upgrade)
    {
        ArgumentNullException.ThrowIfNull(upgrade);
        _pendingUpgrade = upgrade;
    }

    /// <summary>
    /// Sends the client's next line to <paramref name="handler"/> instead of the command parser (a SASL exchange,
    /// RFC 5034). The handler gets the raw line without CRLF, or null when the line was over-long (answer -ERR and
    /// end the exchange); it writes its reply and may ask for the next line again.
    /// </summary>
    public void ExpectContinuation(Func<Pop3Session, ReadOnlyMemory<byte>?, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _continuation = handler;
    }

    /// <summary>Sends what is buffered; also re-arms the idle timer, so a client that stops reading times out too.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        ArmIdleTimer();
        var result = await Transport.Output.FlushAsync(cancellationToken);
        if (result.IsCompleted || result.IsCanceled)
        {
            throw new ClientGoneException();
        }
    }

    private async Task ReadBatchAsync(CancellationToken cancellationToken)
    {
        var input = Transport.Input;
        _waitingForInput = true;
        var next = await _input!.ReadAsync(IdleTimeoutNow(), cancellationToken);
        _waitingForInput = false;
        if (next is not { } read)
        {
            throw new DeadlineException(_input.Expired);
        }

        if (read.IsCanceled)
        {
            Close(Pop3SessionEnd.Aborted);
            return;
        }

        var buffer = read.Buffer;
        try
        {
            while (!IsClosing && _pendingUpgrade is null)
            {
                if (_continuation is { } continuation)
                {
                    var lineStatus = Parser.TryReadLine(ref buffer, out var line);
                    if (lineStatus == Protocols.Text.LineReadStatus.NeedMoreData)
                    {
                        break;
                    }

                    _continuation = null;
                    await continuation(this, lineStatus == Protocols.Text.LineReadStatus.Line ? line.ToArray() : null, cancellationToken);
                    continue;
                }

                var status = Parser.TryParse(ref buffer, out var command, out var error);
                if (status == Pop3ParseStatus.NeedMoreData)
                {
                    break;
                }

                await (status == Pop3ParseStatus.Command ? ExecuteAsync(command!, cancellationToken) : RejectLine(error));
                if (!IsClosing && TooManyBadCommands)
                {
                    Error(Pop3TextKey.TooManyBadCommands);
                    Close(Pop3SessionEnd.TooManyBadCommands);
                }
            }
        }
        finally
        {
            // After the last command, and before a TLS upgrade, whatever else the client sent is thrown away.
            _input!.AdvanceTo(read.Buffer, IsClosing || _pendingUpgrade is not null ? buffer.End : buffer.Start, buffer.End);
        }

        if (_pendingUpgrade is not null)
        {
            DiscardReceivedInput(input);
        }

        await FlushAsync(cancellationToken);
        if (_pendingUpgrade is { } upgrade)
        {
            _pendingUpgrade = null;
            _transport = await UpgradeAsync(upgrade, cancellationToken);
            _input!.Replace(Transport.Input);
            Parser = new Pop3CommandParser(Services.Options.MaxLineLength);
            PendingUser = null;
            _continuation = null;
            ArmIdleTimer();
        }
        else if (read.IsCompleted && !IsClosing)
        {
            Close(Pop3SessionEnd.Disconnected);
        }
    }

    /// <summary>
    /// Before the upgrade's +OK goes out, whatever else has arrived was sent without waiting for it: an injection
    /// attempt, never a command and never TLS data. (Bytes arriving after the +OK are the handshake.)
    /// </summary>
    private static void DiscardReceivedInput(PipeReader input)
    {
        if (input.TryRead(out var pending))
        {
            input.AdvanceTo(pending.Buffer.End);
        }
    }

    private async ValueTask<IDuplexPipe> UpgradeAsync(
        Func<IDuplexPipe, CancellationToken, ValueTask<IDuplexPipe>> upgrade,
        CancellationToken cancellationToken)
    {
        try
        {
            return await upgrade(Transport, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            Pop3Log.UpgradeFailed(Services.Logger, e, Connection.RemoteDisplay);
            throw new UpgradeFailedException();
        }
    }

    private ValueTask ExecuteAsync(Pop3Command command, CancellationToken cancellationToken)
    {
        var handler = Services.Commands.Find(command.Verb, this, out var knownVerb);
        if (handler is not null)
        {
            return handler.ExecuteAsync(this, command, cancellationToken);
        }

        Reject(knownVerb ? Pop3TextKey.NotInThisState : Pop3TextKey.UnknownCommand);
        return ValueTask.CompletedTask;
    }

    private ValueTask RejectLine(Pop3CommandError error)
    {
        if (error == Pop3CommandError.LineTooLong)
        {
            Reject(Pop3TextKey.LineTooLong, Services.Options.MaxLineLength);
        }
        else
        {
            Reject(Pop3TextKey.InvalidCommand);
        }

        return ValueTask.CompletedTask;
    }

    private void WriteGreeting()
    {
        var greeting = Texts.Format(Pop3TextKey.Greeting, Services.HostName);
        if (Services.Options.EnableApop && Services.UserDirectory is not null)
        {
            ApopTimestamp = Services.ApopTimestamps.Next(Services.HostName);
            greeting += " " + ApopTimestamp;
        }

        Pop3ReplyWriter.WriteOk(Output, greeting);
    }

    private void ArmIdleTimer() => _idle?.CancelAfter(Services.Options.IdleTimeout);

    /// <summary>Tells a client that went quiet why it is dropped; one that stopped reading gets nothing.</summary>
    private async ValueTask SayIdleTimeoutAsync()
    {
        if (!_waitingForInput)
        {
            return;
        }

        try
        {
            Error(Pop3TextKey.IdleTimeout);
            await Transport.Output.FlushAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException)
        {
            // The client is gone as well; nothing to tell.
        }
    }

    /// <summary>
    /// The kernel's idle deadline for this read: the idle timer proper (re-armed at each flush) stays the session's
    /// own, so the kernel only adds the command, login and shutdown deadlines.
    /// </summary>
    private TimeSpan IdleTimeoutNow() => Timeout.InfiniteTimeSpan;

    /// <summary>Says why the session ends (a command or login deadline passed, or the server stops) and closes
    /// without committing; a client that does not read is not waited for.</summary>
    private async ValueTask SayDeadlineAsync(SessionDeadline kind)
    {
        switch (kind)
        {
            case SessionDeadline.Shutdown:
                Close(Pop3SessionEnd.Shutdown);
                Error(Pop3ResponseCode.SysTemp, Pop3TextKey.ShuttingDown);
                break;
            case SessionDeadline.Login:
                Close(Pop3SessionEnd.LoginTimeout);
                Error(Pop3TextKey.LoginTimeout);
                break;
            default:
                Close(Pop3SessionEnd.CommandTimeout);
                Error(Pop3TextKey.CommandTimeout);
                break;
        }

        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5), Services.TimeProvider);
            await Transport.Output.FlushAsync(bound.Token);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException)
        {
            // The client is gone or does not read; close anyway.
        }
    }

    /// <summary>Thrown when a kernel deadline passed while waiting for input.</summary>
    private sealed class DeadlineException(SessionDeadline kind) : Exception
    {
        public SessionDeadline Kind { get; } = kind;
    }

    /// <summary>Thrown when the client no longer reads what we send.</summary>
    private sealed class ClientGoneException : Exception
    {
    }

    /// <summary>Thrown when the transport upgrade failed (already logged).</summary>
    private sealed class UpgradeFailedException : Exception
    {
    }
}
