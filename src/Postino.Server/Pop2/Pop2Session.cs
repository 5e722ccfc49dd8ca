using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Postino.Protocols.Pop2;
using Postino.Server.Sessions;
using Postino.Storage;

namespace Postino.Server.Pop2;

/// <summary>
/// One POP2 connection (RFC 937), driven by <see cref="Pop2StateTable"/> on the <see cref="SessionKernel"/>'s read
/// loop. Per RFC 937's design rule, anything that goes wrong gets <c>- text</c> and a close (a bad-command limit of
/// one); only QUIT commits. The session never touches the file system: it asks the store for maildrops.
/// </summary>
public sealed partial class Pop2Session : ILineSessionProtocol
{
    private readonly IPAddress? _remoteAddress;
    private readonly string _remoteText;
    private readonly Pop2Services _services;
    private readonly Pop2CommandReader _commands = new();
    private readonly SessionKernel _kernel;
    private readonly SessionInput _input;

    /// <summary>RFC 937: the first bad command ends the session.</summary>
    private readonly BadCommandCounter _badCommands = new(1);

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

    /// <summary>When the wait for the current command line began: the idle timeout covers the whole line.</summary>
    private long _waitStarted;
    private Pop2SessionEnd? _end;

    /// <summary>Set when a write timed out: the client is not reading, so nothing more is sent.</summary>
    private bool _outputStalled;

    public Pop2Session(IDuplexPipe transport, EndPoint? remote, Pop2Services services)
    {
        _remoteAddress = (remote as IPEndPoint)?.Address;
        _remoteText = remote?.ToString() ?? "local";
        _services = services;
        _kernel = new SessionKernel(transport, services.Time, services.SessionLimits, services.Stopping);
        _input = _kernel.Input;
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
            _waitStarted = _services.Time.GetTimestamp();
            end = await _kernel.RunAsync(this, cancellationToken) switch
            {
                SessionStop.Closed => _end!.Value,
                SessionStop.Deadline => _kernel.Expired switch
                {
                    SessionDeadline.Command => Fail(Pop2SessionEnd.Timeout, "Autologout; command line not completed in time"),
                    SessionDeadline.Login => Fail(Pop2SessionEnd.Timeout, "Autologout; not logged in in time"),
                    SessionDeadline.Shutdown => Fail(Pop2SessionEnd.Shutdown, "Server shutting down, try again later"),
                    _ => Fail(Pop2SessionEnd.Timeout, "Autologout; idle for too long"),
                },
                _ => Pop2SessionEnd.Disconnect,
            };
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
            _state = Pop2State.Done;
            // Release the mailbox locks before the last reply goes out, so a client that has seen it can log in again.
            var folders = _folders is null ? "-" : string.Join(',', _folders.Names);
            if (_folders is not null)
            {
                await _folders.DisposeAsync();
            }

            if (!_outputStalled)
            {
                await _kernel.FlushBeforeCloseAsync(_services.Options.CloseFlushTimeout);
            }

            await _kernel.DisposeAsync();
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

    /// <summary>
    /// The idle timer covers the whole line, so a client dribbling one octet at a time cannot hold the session open;
    /// the kernel adds Limits:CommandTimeout, Limits:LoginTimeout and the server's stop.
    /// </summary>
    TimeSpan ILineSessionProtocol.IdleTimeout =>
        (_state == Pop2State.Auth ? _services.Options.LoginIdleTimeout : _services.Options.SessionIdleTimeout)
        - _services.Time.GetElapsedTime(_waitStarted);

    /// <summary>
    /// Replies go out with the next wait, whose timer is armed before the flush, so a client (or test) that has seen
    /// the reply knows the clock is already running.
    /// </summary>
    bool ILineSessionProtocol.FlushesWhileWaiting => true;

    async ValueTask<SessionBatch> ILineSessionProtocol.HandleAsync(ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        var handled = false;
        while (_commands.TryRead(ref buffer, out var parsed))
        {
            handled = true;
            if (await HandleAsync(parsed, cancellationToken) is { } end)
            {
                _end = end;
                return new SessionBatch(buffer.Start, SessionStep.Close);
            }
        }

        if (handled)
        {
            _waitStarted = _services.Time.GetTimestamp();
        }

        return new SessionBatch(buffer.Start, SessionStep.Continue);
    }

    /// <summary>The last reply goes out only after the mailbox locks are released (see <see cref="RunAsync"/>).</summary>
    ValueTask ILineSessionProtocol.FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>POP2 has no STLS.</summary>
    void ILineSessionProtocol.Upgraded() => throw new NotSupportedException("POP2 has no TLS upgrade.");

    /// <summary>One command: parse errors and the state table first, then its handler; null to go on.</summary>
    private async ValueTask<Pop2SessionEnd?> HandleAsync(Pop2ParseResult parsed, CancellationToken cancellationToken)
    {
        if (!parsed.IsCommand)
        {
            return BadCommand(DescribeError(parsed.Error));
        }

        var command = parsed.Command;
        if (Pop2StateTable.Next(_state, command.Verb) is not { } next)
        {
            return BadCommand("Bogus or out of sequence command");
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

        if (end is null)
        {
            _state = next;
        }

        return end;
    }

    /// <summary>A bad command: counted by the kernel's counter, whose limit of one makes it a protocol error and a close.</summary>
    private Pop2SessionEnd? BadCommand(string text)
    {
        _badCommands.Add();
        return _badCommands.LimitReached() ? Fail(Pop2SessionEnd.ProtocolError, text) : null;
    }

    /// <summary>Writes a reply line; it is flushed when the session next waits for a command or ends.</summary>
    private void Reply(Pop2ReplyKind kind, long? number, string text) =>
        Pop2ReplyWriter.Write(_kernel.Output, kind, number, text);

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
}
