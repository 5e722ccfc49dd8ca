using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Postino.Protocols.Pop3;
using Postino.Server.Sessions;

namespace Postino.Server.Pop3;

public sealed partial class Pop3Session : ILineSessionProtocol
{
    private CancellationTokenSource? _idle;
    private SessionKernel? _kernel;
    private Func<Pop3Session, ReadOnlyMemory<byte>?, CancellationToken, ValueTask>? _continuation;

    /// <summary>The POP3 idle timer stays the session's own (re-armed at each flush, see <see cref="FlushAsync"/>).</summary>
    TimeSpan ILineSessionProtocol.IdleTimeout => Timeout.InfiniteTimeSpan;

    /// <summary>
    /// POP3 runs where its input arrived: a command that may block moves to the pool on its own (the store's login,
    /// commit and message reads that would wait for the disk, the users file, a password hash), and the rest (STAT,
    /// LIST, UIDL, a RETR from the page cache) costs no hand-over between threads.
    /// </summary>
    bool ILineSessionProtocol.HandlesOnEventThread => true;

    /// <summary>POP3 flushes after each batch, which re-arms its idle timer.</summary>
    bool ILineSessionProtocol.FlushesWhileWaiting => false;

    /// <summary>
    /// Runs the session to its end: greeting, commands, logout. Returns when the client quits or goes away, the idle
    /// timeout passes, or <paramref name="cancellationToken"/> fires; only a QUIT commits anything. Never throws for
    /// what the client or the network does; the caller closes the transport afterwards (the TLS layer of an STLS
    /// upgrade is closed here, by the kernel).
    /// </summary>
    public async Task RunAsync(IDuplexPipe transport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        await using var kernel = new SessionKernel(transport, Services.TimeProvider, Services.Limits, Services.Stopping);
        _kernel = kernel;
        kernel.Input.StartLoginClock();
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, Services.TimeProvider);
        _idle = idle;
        using var stop = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), idle);
        try
        {
            WriteGreeting();
            await FlushAsync(idle.Token);
            var end = await kernel.RunAsync(this, idle.Token);
            switch (end)
            {
                case SessionStop.Deadline:
                    await SayDeadlineAsync(kernel.Expired);
                    break;
                case SessionStop.UpgradeFailed:
                    Pop3Log.UpgradeFailed(Services.Logger, kernel.UpgradeFailure!, Connection.RemoteDisplay);
                    Close(Pop3SessionEnd.UpgradeFailed);
                    break;
                case SessionStop.Aborted:
                    Close(Pop3SessionEnd.Aborted);
                    break;
                case SessionStop.EndOfInput:
                    Close(Pop3SessionEnd.Disconnected);
                    break;
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
        }
    }

    /// <summary>
    /// Asks for a new transport (STLS) through the session kernel: after the current command's reply is flushed,
    /// input already received is thrown away (no command injection), <paramref name="upgrade"/> gets the current
    /// transport and returns the one to go on with, and the session continues with a fresh parser, in AUTHORIZATION
    /// with no pending USER. An exception from <paramref name="upgrade"/> (a failed handshake) ends the session.
    /// </summary>
    public void RequestTransportUpgrade(Func<IDuplexPipe, CancellationToken, ValueTask<IDuplexPipe>> upgrade)
    {
        ArgumentNullException.ThrowIfNull(upgrade);
        (_kernel ?? throw new InvalidOperationException("the session is not running")).RequestUpgrade(upgrade);
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

    /// <summary>The commands of one batch, in order, until the input runs out, the session closes or STLS asks for TLS.</summary>
    async ValueTask<SessionBatch> ILineSessionProtocol.HandleAsync(ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        while (!IsClosing && !_kernel!.UpgradePending)
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

        return new SessionBatch(buffer.Start, IsClosing ? SessionStep.Close : SessionStep.Continue);
    }

    /// <summary>After STLS: a fresh parser, back in AUTHORIZATION with no pending USER or SASL exchange.</summary>
    void ILineSessionProtocol.Upgraded()
    {
        Parser = new Pop3CommandParser(Services.Options.MaxLineLength);
        PendingUser = null;
        _continuation = null;
        ArmIdleTimer();
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
        if (_kernel is not { IsWaitingForInput: true })
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

        await _kernel!.FlushBeforeCloseAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>Thrown when the client no longer reads what we send.</summary>
    private sealed class ClientGoneException : Exception
    {
    }
}
