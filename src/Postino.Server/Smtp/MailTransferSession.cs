using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Microsoft.Extensions.Logging;
using Postino.Protocols.Smtp;
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
    private PipeReader _input;
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
        _input = transport.Input;
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
            var (read, closing) = await ReadAsync(
                inData ? _options.DataTimeout : _options.CommandTimeout,
                inData ? CancellationToken.None : _context.Stopping,
                cancellationToken);
            if (read is not { } result)
            {
                Write(closing!);
                await _output.FlushAsync(cancellationToken);
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
                _input.AdvanceTo(buffer.End);
                Tls.StartTls.DiscardBufferedInput(_input);
                await _output.FlushAsync(cancellationToken);
                if (!await UpgradeAsync(cancellationToken))
                {
                    return;
                }

                continue;
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
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
    /// Flushes pending replies, then waits for input. No result when the timeout passed or the server is stopping
    /// first: then the reply to close with.
    /// </summary>
    private async ValueTask<(ReadResult? Result, SmtpReply? Closing)> ReadAsync(
        TimeSpan timeout,
        CancellationToken stopping,
        CancellationToken cancellationToken)
    {
        // The timer is armed before the flush so a peer that has seen our reply always finds it running.
        using var timer = new CancellationTokenSource(timeout, _context.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, stopping, cancellationToken);
        try
        {
            await _output.FlushAsync(linked.Token);
            return (await _input.ReadAsync(linked.Token), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, stopping.IsCancellationRequested ? Replies.ShuttingDown : Replies.Timeout);
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

        _input = _transport.Input;
        _output = _transport.Output;
        _commands = new SmtpCommandReader(_options.MaxCommandLineLength);
        _secure = true;
        ResetHello();
        return true;
    }
}
