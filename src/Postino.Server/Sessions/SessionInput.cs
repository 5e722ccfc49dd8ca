using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Postino.Server.Sessions;

/// <summary>
/// The reading half of the line-session kernel shared by POP3, POP2, SMTP and LMTP: every wait for input goes
/// through <see cref="ReadAsync"/>, which arms one timer at the earliest of the deadlines that apply now:
/// <list type="bullet">
/// <item>the protocol's idle timeout, re-armed by each read, while no partial line is buffered;</item>
/// <item>Limits:CommandTimeout from the moment a line started, however its bytes trickle in (slowloris);</item>
/// <item>Limits:LoginTimeout from the start of a POP3/POP2 connection until login;</item>
/// <item>in DATA, the time by which Limits:MinDataRate says enough octets should have arrived;</item>
/// <item>the server's graceful stop, while waiting for a command.</item>
/// </list>
/// The session reports what it consumed with <see cref="AdvanceTo"/>, so the kernel knows whether a line is pending.
/// One timer per session is reused, so a read costs no allocation.
/// </summary>
public sealed class SessionInput : IDisposable
{
    private readonly TimeProvider _time;
    private readonly SessionLimits _limits;
    private readonly CancellationToken _stopping;
    private CancellationTokenSource _timer;
    private PipeReader _reader;
    private long? _lineStartedAt;

    /// <summary>A pipelined line began in the batch of the line before it: its clock starts at the next wait.</summary>
    private bool _lineStartedWhileBusy;
    private long? _loginDeadline;
    private long? _dataStartedAt;
    private long _dataOctets;

    /// <summary>The batch that held the DATA command is not counted as data (it held commands too).</summary>
    private bool _dataBeganInThisBatch;

    public SessionInput(PipeReader reader, TimeProvider time, SessionLimits limits, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(limits);
        _reader = reader;
        _time = time;
        _limits = limits;
        _stopping = stopping;
        _timer = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
    }

    /// <summary>Why the last <see cref="ReadAsync"/> returned no input (None when it did).</summary>
    public SessionDeadline Expired { get; private set; }

    /// <summary>True once the server began a graceful stop.</summary>
    public bool IsStopping => _stopping.IsCancellationRequested;

    /// <summary>The reader now in use (replaced after a TLS upgrade).</summary>
    public PipeReader Reader => _reader;

    /// <summary>After STARTTLS/STLS: read from the TLS layer; a partial line from before is gone.</summary>
    public void Replace(PipeReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        _lineStartedAt = null;
        _lineStartedWhileBusy = false;
    }

    /// <summary>Starts the Limits:LoginTimeout clock (POP3 and POP2, at connect).</summary>
    public void StartLoginClock() =>
        _loginDeadline = _time.GetTimestamp() + Ticks(_limits.LoginTimeout);

    /// <summary>Stops the login clock (the user logged in).</summary>
    public void LoggedIn() => _loginDeadline = null;

    /// <summary>DATA begins: the minimum rate applies and a graceful stop waits for the transfer to end.</summary>
    public void BeginData()
    {
        _dataStartedAt = _time.GetTimestamp();
        _dataOctets = 0;
        _dataBeganInThisBatch = true;
        _lineStartedAt = null;
        _lineStartedWhileBusy = false;
    }

    /// <summary>DATA ended (terminator, or the transfer was dropped).</summary>
    public void EndData()
    {
        _dataStartedAt = null;
        _lineStartedAt = null;
        _lineStartedWhileBusy = false;
    }

    /// <summary>
    /// Waits for input for at most <paramref name="idle"/> (or an earlier deadline). Null when a deadline passed or
    /// the server is stopping first: <see cref="Expired"/> says which. <paramref name="cancellationToken"/> (the
    /// connection is gone) throws as usual.
    /// </summary>
    public ValueTask<ReadResult?> ReadAsync(TimeSpan idle, CancellationToken cancellationToken) =>
        ReadAsync(null, idle, cancellationToken);

    /// <summary>
    /// Flushes <paramref name="replies"/> (pending replies: PIPELINING answers a batch at once), then waits for input,
    /// both under the same deadline, so a client that stops reading our replies is dropped as well. The timer is
    /// armed before the flush, so a peer that has seen our reply always finds it running. Nearly every call waits, so
    /// its state machine is pooled rather than allocated per command (await the result once, as usual).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadResult?> ReadAsync(PipeWriter? replies, TimeSpan idle, CancellationToken cancellationToken)
    {
        var waitForCommand = _dataStartedAt is null;
        if (_lineStartedWhileBusy)
        {
            // The time the server spent answering the line before (a long RETR) is not the client's.
            _lineStartedAt = _time.GetTimestamp();
            _lineStartedWhileBusy = false;
        }

        if (waitForCommand && IsStopping)
        {
            Expired = SessionDeadline.Shutdown;
            return null;
        }

        var (timeout, kind) = NextDeadline(idle);
        if (timeout != Timeout.InfiniteTimeSpan && timeout <= TimeSpan.Zero)
        {
            Expired = kind;
            return null;
        }

        _timer.CancelAfter(timeout);
        using var stop = waitForCommand ? _stopping.UnsafeRegister(static t => ((CancellationTokenSource)t!).Cancel(), _timer) : default;
        using var gone = cancellationToken.UnsafeRegister(static t => ((CancellationTokenSource)t!).Cancel(), _timer);
        try
        {
            if (replies is not null)
            {
                await replies.FlushAsync(_timer.Token);
            }

            var result = await _reader.ReadAsync(_timer.Token);
            if (!_timer.TryReset())
            {
                // The timer fired just as the input arrived: the input wins, the next wait gets a fresh timer.
                _timer.Dispose();
                _timer = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
            }

            Expired = SessionDeadline.None;
            return result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Expired = waitForCommand && IsStopping ? SessionDeadline.Shutdown : kind;
            return null;
        }
    }

    /// <summary>
    /// Hands consumed input back to the pipe (as <see cref="PipeReader.AdvanceTo(SequencePosition, SequencePosition)"/>)
    /// and notes whether part of a line is left waiting for its line end.
    /// </summary>
    public void AdvanceTo(in ReadOnlySequence<byte> buffer, SequencePosition consumed, SequencePosition examined)
    {
        var used = buffer.Slice(0, consumed).Length;
        var left = buffer.Length - used;
        if (_dataStartedAt is not null)
        {
            _dataOctets += _dataBeganInThisBatch ? 0 : used;
            _dataBeganInThisBatch = false;
        }
        else
        {
            // A line is open when bytes are left over, or when the session consumed up to something other than a
            // line end (it is skipping an over-long line): either way its line end is still due.
            var head = buffer.Slice(0, consumed);
            var endsWithLf = used > 0 && head.Slice(used - 1).FirstSpan[0] == (byte)'\n';
            if (left == 0 && (used == 0 || endsWithLf))
            {
                _lineStartedAt = null;
                _lineStartedWhileBusy = false;
            }
            else if (endsWithLf)
            {
                // What is left is the start of a new line, which arrived (at the latest) now; the server answers the
                // line before it first, so its clock restarts when the session next waits for input.
                _lineStartedAt = _time.GetTimestamp();
                _lineStartedWhileBusy = true;
            }
            else
            {
                _lineStartedAt ??= _time.GetTimestamp();
            }
        }

        _reader.AdvanceTo(consumed, examined);
    }

    /// <summary>Same as <see cref="AdvanceTo(in ReadOnlySequence{byte}, SequencePosition, SequencePosition)"/> with everything examined.</summary>
    public void AdvanceTo(in ReadOnlySequence<byte> buffer, SequencePosition consumed) =>
        AdvanceTo(buffer, consumed, buffer.End);

    public void Dispose() => _timer.Dispose();

    private (TimeSpan Timeout, SessionDeadline Kind) NextDeadline(TimeSpan idle)
    {
        var now = _time.GetTimestamp();
        var deadline = idle == Timeout.InfiniteTimeSpan ? long.MaxValue : now + Ticks(idle);
        var kind = SessionDeadline.Idle;
        if (_lineStartedAt is { } started && started + Ticks(_limits.CommandTimeout) < deadline)
        {
            (deadline, kind) = (started + Ticks(_limits.CommandTimeout), SessionDeadline.Command);
        }

        if (_loginDeadline is { } login && login < deadline)
        {
            (deadline, kind) = (login, SessionDeadline.Login);
        }

        if (_dataStartedAt is { } data && _limits.MinDataRate > 0)
        {
            // By then the octets received so far would have been the minimum: no more arriving means too slow.
            var due = data + Ticks(_limits.MinDataRateGrace) + Ticks(TimeSpan.FromSeconds((double)_dataOctets / _limits.MinDataRate));
            if (due < deadline)
            {
                (deadline, kind) = (due, SessionDeadline.DataRate);
            }
        }

        return deadline == long.MaxValue ? (Timeout.InfiniteTimeSpan, kind) : (_time.GetElapsedTime(now, deadline), kind);
    }

    private long Ticks(TimeSpan span) => (long)(span.Ticks * (_time.TimestampFrequency / (double)TimeSpan.TicksPerSecond));
}
