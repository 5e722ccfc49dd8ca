using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Postino.Server.Hosting;

/// <summary>
/// Samples the connections every listener holds (<see cref="DescriptorBudget.Held"/>) every
/// <see cref="PostinoServerOptions.MemoryTrimInterval"/> and, when <see cref="MemoryTrimPolicy"/> says that enough of
/// them closed, gives the memory they used back to the kernel: a full compacting collection of the managed heap (the
/// closed sessions' objects sit in gen2, which an idle server does not collect, and the GC keeps free regions
/// committed until it does) and then malloc's free pages (<see cref="NativeHeap.Trim"/>: their OpenSSL state). Without
/// it a server that once held 10,000 POP3S sessions kept that memory, and each later wave of sessions added to it
/// (bench/README.md, issue 12). Costs one collection per wave, when few objects are still alive.
/// </summary>
public sealed partial class MemoryTrimmer : IHostedService, IDisposable
{
    private readonly DescriptorBudget _budget;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<bool> _trim;
    private readonly MemoryTrimPolicy _policy = new();
    private readonly Lock _tick = new();
    private ITimer? _timer;

    public MemoryTrimmer(DescriptorBudget budget, TimeSpan interval, TimeProvider time, ILogger<MemoryTrimmer> logger)
        : this(budget, interval, time, logger, TrimNow)
    {
    }

    /// <param name="trim">The trim itself (tests count calls); returns whether memory was released.</param>
    internal MemoryTrimmer(DescriptorBudget budget, TimeSpan interval, TimeProvider time, ILogger logger, Func<bool> trim)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _budget = budget;
        _interval = interval;
        _time = time;
        _logger = logger;
        _trim = trim;
    }

    /// <summary>Trims done so far.</summary>
    public int Trims { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = _time.CreateTimer(_ => Tick(), null, _interval, _interval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    private void Tick()
    {
        // A slow trim (hundreds of MB of arenas) must not overlap the next tick's.
        if (!_tick.TryEnter())
        {
            return;
        }

        try
        {
            var held = _budget.Held;
            if (_policy.ShouldTrim(held))
            {
                var released = _trim();
                Trims++;
                LogTrimmed(held, released);
            }
        }
        finally
        {
            _tick.Exit();
        }
    }

    private static bool TrimNow()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return NativeHeap.Trim();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "connections dropped to {Held}: collected the managed heap and gave malloc's free memory back (released: {Released})")]
    private partial void LogTrimmed(int held, bool released);
}
