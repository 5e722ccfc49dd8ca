using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Microsoft.Extensions.Logging;
using Postino.Protocols.Smtp;
using Postino.Server.Sessions;

namespace Postino.Server.Smtp;

/// <summary>
/// One SMTP or LMTP connection: reads commands (pipelined or not), answers them, streams DATA into a spool and hands
/// the complete message to the store once per recipient. It answers 250 only after the store returned (durable).
/// The read loop, deadlines, STARTTLS and the close are the <see cref="SessionKernel"/>'s; which command is allowed
/// when is <see cref="MailTransferStateTable"/>'s. Replies are flushed whenever the session is about to wait for
/// input, which is what PIPELINING asks for.
/// </summary>
public sealed partial class MailTransferSession : ILineSessionProtocol
{
    private readonly MailTransferDialect _dialect;
    private readonly MailTransferOptions _options;
    private readonly MailTransferContext _context;
    private readonly EndPoint? _remote;
    private readonly SessionKernel _kernel;
    private readonly SessionInput _in;
    private readonly BadCommandCounter _badCommands;
    private SmtpCommandReader _commands;
    private PipeWriter _output;

    public MailTransferSession(
        MailTransferDialect dialect,
        MailTransferOptions options,
        MailTransferContext context,
        IDuplexPipe transport,
        EndPoint? remote)
    {
        _dialect = dialect;
        _options = options;
        _context = context;
        _remote = remote;
        _kernel = new SessionKernel(transport, context.Time, context.Limits ?? new SessionLimits(), context.Stopping);
        _in = _kernel.Input;
        _output = _kernel.Output;
        _commands = new SmtpCommandReader(options.MaxCommandLineLength);
        _badCommands = new BadCommandCounter(options.MaxBadCommands);
    }

    /// <summary>What the loop does after a command.</summary>
    private enum Next
    {
        Continue,
        Close,
        StartTls,
    }

    /// <summary>The current state, derived from what the client has said (so it cannot drift from it).</summary>
    internal MailTransferState State =>
        _helloName is null ? MailTransferState.Connected
        : _mail is null ? MailTransferState.Greeted
        : MailTransferState.Transaction;

    TimeSpan ILineSessionProtocol.IdleTimeout => _data is not null ? _options.DataTimeout : _options.CommandTimeout;

    bool ILineSessionProtocol.FlushesWhileWaiting => true;

    /// <summary>Runs the session until QUIT, the peer goes away, a timeout, or <paramref name="cancellationToken"/>.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            Write(new SmtpReply(220, null, $"{_options.HostName} Postino {(_dialect == MailTransferDialect.Lmtp ? "LMTP" : "ESMTP")} ready"));
            switch (await _kernel.RunAsync(this, cancellationToken))
            {
                case SessionStop.Deadline:
                    // A deadline passed or the server is stopping: say so with 421 (briefly: a client that does not
                    // read gets nothing) and close.
                    Write(_kernel.Expired == SessionDeadline.Shutdown ? Replies.ShuttingDown : Replies.Timeout);
                    await _kernel.FlushBeforeCloseAsync(TimeSpan.FromSeconds(5));
                    break;
                case SessionStop.UpgradeFailed:
                    _context.Logger.LogInformation("STARTTLS handshake failed: {Reason}", _kernel.UpgradeFailure!.Message);
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The server is stopping or the connection was aborted: nothing to answer.
        }
        catch (IOException)
        {
            // The peer reset the connection.
        }
        finally
        {
            await DiscardDataAsync();
            await _kernel.DisposeAsync();
        }
    }

    /// <summary>The commands (and DATA) of one batch, until the input runs out, the session closes or STARTTLS.</summary>
    async ValueTask<SessionBatch> ILineSessionProtocol.HandleAsync(ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        var next = Next.Continue;
        while (next == Next.Continue)
        {
            if (_data is not null)
            {
                var complete = ReadData(ref buffer);
                await SpoolPendingDataAsync(cancellationToken);
                if (!complete)
                {
                    break;
                }

                await FinishDataAsync(cancellationToken);
                continue;
            }

            var status = _commands.TryRead(ref buffer, out var command);
            if (status == SmtpReadStatus.NeedMoreData)
            {
                break;
            }

            next = status == SmtpReadStatus.LineTooLong
                ? BadCommand(Replies.LineTooLong)
                : await HandleAsync(command, cancellationToken);
        }

        return new SessionBatch(buffer.Start, next == Next.Close ? SessionStep.Close : SessionStep.Continue);
    }

    async ValueTask ILineSessionProtocol.FlushAsync(CancellationToken cancellationToken) =>
        await _output.FlushAsync(cancellationToken);

    /// <summary>After STARTTLS (RFC 3207 4.2): a fresh reader, and the client must greet again.</summary>
    void ILineSessionProtocol.Upgraded()
    {
        _output = _kernel.Output;
        _commands = new SmtpCommandReader(_options.MaxCommandLineLength);
        _secure = true;
        ResetHello();
    }

    private void Write(SmtpReply reply) => reply.WriteTo(_output);

    private Next BadCommand(SmtpReply reply)
    {
        if (_badCommands.AddAndCheck())
        {
            Write(Replies.TooManyErrors);
            return Next.Close;
        }

        Write(reply);
        return Next.Continue;
    }
}
