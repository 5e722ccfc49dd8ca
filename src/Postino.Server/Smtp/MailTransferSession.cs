using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Microsoft.Extensions.Logging;
using Postino.Protocols.Smtp;
using Postino.Server.Sessions;
using Postino.Server.Tls;

namespace Postino.Server.Smtp;

/// <summary>
/// One SMTP or LMTP connection: reads commands (pipelined or not), answers them, streams DATA into a spool and hands
/// the complete message to the store once per recipient. It answers 250 only after the store returned (durable).
/// Replies are flushed whenever the session is about to wait for input, which is what PIPELINING asks for.
/// </summary>
public sealed partial class MailTransferSession
{
    private readonly MailTransferDialect _dialect;
    private readonly MailTransferOptions _options;
    private readonly MailTransferContext _context;
    private readonly EndPoint? _remote;
    private SmtpCommandReader _commands;
    private readonly SessionInput _in;
    private PipeWriter _output;
    private IDuplexPipe _transport;
    private int _badCommands;

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
        _transport = transport;
        _in = new SessionInput(transport.Input, context.Time, context.Limits ?? new SessionLimits(), context.Stopping);
        _output = transport.Output;
        _commands = new SmtpCommandReader(options.MaxCommandLineLength);
    }

    /// <summary>What the loop does after a command.</summary>
    private enum Next
    {
        Continue,
        Close,
        StartTls,
    }

    /// <summary>Runs the session until QUIT, the peer goes away, a timeout, or <paramref name="cancellationToken"/>.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            Write(new SmtpReply(220, null, $"{_options.HostName} Postino {(_dialect == MailTransferDialect.Lmtp ? "LMTP" : "ESMTP")} ready"));
            await LoopAsync(cancellationToken);
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
            _in.Dispose();
            if (_secure && _transport is IAsyncDisposable tls)
            {
                await tls.DisposeAsync();
            }
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var inData = _data is not null;
            var read = await _in.ReadAsync(_output, inData ? _options.DataTimeout : _options.CommandTimeout, cancellationToken);
            if (read is not { } result)
            {
                await CloseOnDeadlineAsync();
                return;
            }

            var buffer = result.Buffer;
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

            if (next == Next.StartTls)
            {
                // RFC 3207: anything pipelined after STARTTLS arrived in plaintext and must not be acted on. It is
                // dropped before our 220 goes out; after it, the client's bytes are the TLS handshake.
                _in.AdvanceTo(result.Buffer, buffer.End);
                Tls.StartTls.DiscardBufferedInput(_in.Reader);
                await _output.FlushAsync(cancellationToken);
                if (!await UpgradeAsync(cancellationToken))
                {
                    return;
                }

                continue;
            }

            _in.AdvanceTo(result.Buffer, buffer.Start, buffer.End);
            if (next == Next.Close)
            {
                await _output.FlushAsync(cancellationToken);
                return;
            }

            if (result.IsCompleted)
            {
                // The peer went away; a transfer cut off mid-DATA is discarded, never delivered.
                return;
            }
        }
    }

    /// <summary>
    /// A deadline passed or the server is stopping: say so with 421 (briefly: a client that does not read gets
    /// nothing) and close.
    /// </summary>
    private async ValueTask CloseOnDeadlineAsync()
    {
        Write(_in.Expired == SessionDeadline.Shutdown ? Replies.ShuttingDown : Replies.Timeout);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5), _context.Time);
        try
        {
            await _output.FlushAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            // The client does not read; close anyway.
        }
    }

    private void Write(SmtpReply reply) => reply.WriteTo(_output);

    private Next BadCommand(SmtpReply reply)
    {
        if (++_badCommands >= _options.MaxBadCommands)
        {
            Write(Replies.TooManyErrors);
            return Next.Close;
        }

        Write(reply);
        return Next.Continue;
    }

    private async ValueTask<bool> UpgradeAsync(CancellationToken cancellationToken)
    {
        try
        {
            _transport = await _context.StartTls!.UpgradeAsync(_transport, cancellationToken);
        }
        catch (TlsHandshakeFailedException ex)
        {
            _context.Logger.LogInformation("STARTTLS handshake failed: {Reason}", ex.Message);
            return false;
        }

        _in.Replace(_transport.Input);
        _output = _transport.Output;
        _commands = new SmtpCommandReader(_options.MaxCommandLineLength);
        _secure = true;
        ResetHello();
        return true;
    }
}
