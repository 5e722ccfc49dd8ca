using System.IO.Pipelines;
using System.Net;
using Postino.Protocols.Pop2;
using Postino.Server.Sessions;
using Postino.Storage;

namespace Postino.Server.Pop2;

/// <summary>
/// One POP2 connection (RFC 937), driven by <see cref="Pop2StateTable"/>. Per RFC 937's design rule, anything that
/// goes wrong gets <c>- text</c> and a close; only QUIT commits. The session never touches the file system: it asks
/// the store for maildrops.
/// </summary>
public sealed partial class Pop2Session
{
    private readonly IDuplexPipe _transport;
    private readonly IPAddress? _remoteAddress;
    private readonly string _remoteText;
    private readonly Pop2Services _services;
    private readonly Pop2CommandReader _commands = new();
    private readonly SessionInput _input;

    private Pop2State _state = Pop2State.Auth;
    private string? _user;
    private Pop2OpenFolders? _folders;
    private Pop2Selection? _selection;
    /// <summary>The protocol label of this session's metrics (POP2 has no TLS form).</summary>
    private const string MetricsProtocol = "pop2";

    private int _retrieved;
    private int _deletionsMarked;

    /// <summary>Messages sent whole by RETR, and their octets, for the retrieval metrics (as POP3 counts RETR).</summary>
    private int _sent;
    private long _sentBytes;

    /// <summary>Set when a write timed out: the client is not reading, so nothing more is sent.</summary>
    private bool _outputStalled;

    public Pop2Session(IDuplexPipe transport, EndPoint? remote, Pop2Services services)
    {
        _transport = transport;
        _remoteAddress = (remote as IPEndPoint)?.Address;
        _remoteText = remote?.ToString() ?? "local";
        _services = services;
        _input = new SessionInput(transport.Input, services.Time, services.SessionLimits, services.Stopping);
    }

    public Pop2State State => _state;

    /// <summary>
    /// Runs the session to its end: the last reply is flushed and the mailbox locks are released when this returns.
    /// Closing the transport is the caller's (the connection handler's) job.
    /// </summary>
    public async Task<Pop2SessionEnd> RunAsync(CancellationToken cancellationToken)
    {
        var end = Pop2SessionEnd.Disconnect;
        try
        {
            _input.StartLoginClock();
            Reply(Pop2ReplyKind.Success, null, $"POP2 {_services.HostName} Postino server ready");
            end = await CommandLoopAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host closed the connection (Kestrel's ConnectionAbortedException at shutdown) or the caller gave up.
            end = Pop2SessionEnd.Disconnect;
        }
        catch (IOException)
        {
            // The peer reset the connection (Kestrel's ConnectionResetException is an IOException).
            end = Pop2SessionEnd.Disconnect;
        }
        finally
        {
            _input.Dispose();
            _state = Pop2State.Done;
            // Release the mailbox locks before the last reply goes out, so a client that has seen it can log in again.
            var folders = _folders is null ? "-" : string.Join(',', _folders.Names);
            if (_folders is not null)
            {
                await _folders.DisposeAsync();
            }

            await FlushAtEndAsync();
            Pop2Log.SessionEnded(
                _services.Logger,
                _user ?? "-",
                _remoteText,
                folders,
                _retrieved,
                _deletionsMarked,
                end);
            Metrics.PostinoMetrics.Instance.SessionEnded(
                MetricsProtocol, tls: false, end.ToString(), _sent, _sentBytes, 0, 0, end == Pop2SessionEnd.Quit ? _deletionsMarked : 0);
        }

        return end;
    }

    private async Task<Pop2SessionEnd> CommandLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (status, parsed) = await ReadCommandAsync(cancellationToken);
            switch (status)
            {
                case ReadStatus.EndOfInput:
                    return Pop2SessionEnd.Disconnect;
                case ReadStatus.TimedOut:
                    return Fail(Pop2SessionEnd.Timeout, "Autologout; idle for too long");
                case ReadStatus.CommandTimedOut:
                    return Fail(Pop2SessionEnd.Timeout, "Autologout; command line not completed in time");
                case ReadStatus.LoginTimedOut:
                    return Fail(Pop2SessionEnd.Timeout, "Autologout; not logged in in time");
                case ReadStatus.ShuttingDown:
                    return Fail(Pop2SessionEnd.Shutdown, "Server shutting down, try again later");
            }

            if (!parsed.IsCommand)
            {
                return Fail(Pop2SessionEnd.ProtocolError, DescribeError(parsed.Error));
            }

            var command = parsed.Command;
            if (Pop2StateTable.Next(_state, command.Verb) is not { } next)
            {
                return Fail(Pop2SessionEnd.ProtocolError, "Bogus or out of sequence command");
            }

            Pop2SessionEnd? end;
            try
            {
                end = await ExecuteAsync(command, cancellationToken);
            }
            catch (MailboxInUseException)
            {
                return Fail(Pop2SessionEnd.MailboxInUse, "Mailbox in use by another session, try again later");
            }
            catch (StorageException exception)
            {
                Pop2Log.StoreFailed(_services.Logger, _user ?? "-", exception.Message, exception);
                return Fail(Pop2SessionEnd.StoreFailure, "Mail store failure, try again later");
            }

            if (end is { } finished)
            {
                return finished;
            }

            _state = next;
        }
    }

    private async Task<(ReadStatus Status, Pop2ParseResult Parsed)> ReadCommandAsync(CancellationToken cancellationToken)
    {
        var idle = _state == Pop2State.Auth ? _services.Options.LoginIdleTimeout : _services.Options.SessionIdleTimeout;

        // The idle timer covers the whole line, so a client dribbling one octet at a time cannot hold the session
        // open; the kernel adds Limits:CommandTimeout, Limits:LoginTimeout and the server's stop. The first wait
        // arms the timer before the previous reply is flushed, so a client (or test) that has seen the reply knows
        // the clock is already running.
        var started = _services.Time.GetTimestamp();
        var flush = _transport.Output;
        while (true)
        {
            var left = idle - _services.Time.GetElapsedTime(started);
            if (await _input.ReadAsync(flush, left, cancellationToken) is not { } read)
            {
                return (_input.Expired switch
                {
                    SessionDeadline.Command => ReadStatus.CommandTimedOut,
                    SessionDeadline.Login => ReadStatus.LoginTimedOut,
                    SessionDeadline.Shutdown => ReadStatus.ShuttingDown,
                    _ => ReadStatus.TimedOut,
                }, default);
            }

            flush = null;
            var buffer = read.Buffer;
            if (_commands.TryRead(ref buffer, out var parsed))
            {
                _input.AdvanceTo(read.Buffer, buffer.Start, buffer.Start);
                return (ReadStatus.Command, parsed);
            }

            _input.AdvanceTo(read.Buffer, buffer.Start, buffer.End);
            if (read.IsCompleted || read.IsCanceled)
            {
                return (ReadStatus.EndOfInput, default);
            }
        }
    }

    /// <summary>Sends the last reply (QUIT's <c>+</c> or a <c>- text</c>) before the close, if the peer is still there.</summary>
    private async ValueTask FlushAtEndAsync()
    {
        if (_outputStalled)
        {
            return;
        }

        try
        {
            using var bound = new CancellationTokenSource(_services.Options.CloseFlushTimeout, _services.Time);
            await _transport.Output.FlushAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            // The client is not reading; close anyway.
        }
        catch (IOException)
        {
            // The peer has gone; there is no one left to tell.
        }
        catch (InvalidOperationException)
        {
            // The transport was already completed by the host.
        }
    }

    /// <summary>Writes a reply line; it is flushed when the session next waits for a command or ends.</summary>
    private void Reply(Pop2ReplyKind kind, long? number, string text) =>
        Pop2ReplyWriter.Write(_transport.Output, kind, number, text);

    /// <summary>Writes <c>- text</c>; the caller returns <paramref name="end"/>, which closes the connection.</summary>
    private Pop2SessionEnd Fail(Pop2SessionEnd end, string text)
    {
        Reply(Pop2ReplyKind.Failure, null, text);
        return end;
    }

    private static string DescribeError(Pop2CommandError error) => error switch
    {
        Pop2CommandError.EmptyLine => "Missing or null command",
        Pop2CommandError.LineTooLong => "Command line longer than 512 octets",
        Pop2CommandError.UnknownCommand => "Bogus or out of sequence command",
        Pop2CommandError.MissingArgument => "Missing argument",
        Pop2CommandError.UnexpectedArgument => "Bogus argument",
        Pop2CommandError.InvalidNumber => "Invalid message number",
        _ => "Bogus command",
    };

    private enum ReadStatus
    {
        Command,
        EndOfInput,
        TimedOut,
        CommandTimedOut,
        LoginTimedOut,
        ShuttingDown,
    }
}
