using System.Globalization;

namespace Postino.Bench;

internal sealed record LoadSettings(string Host, int Port, string User, string Password, int Clients, TimeSpan Duration, bool Tls = false);

internal sealed record LoadResult(long Sessions, long Errors, long Bytes, TimeSpan Elapsed, TimeSpan P50, TimeSpan P99, string? FirstError = null)
{
    public double SessionsPerSecond => Sessions / Elapsed.TotalSeconds;

    public double MegabytesPerSecond => Bytes / 1e6 / Elapsed.TotalSeconds;

    public string Format(string label) => string.Create(
        CultureInfo.InvariantCulture,
        $"{label}: {SessionsPerSecond:F1} sessions/s, {MegabytesPerSecond:F2} MB/s, p50 {P50.TotalMilliseconds:F2} ms, p99 {P99.TotalMilliseconds:F2} ms, {Sessions} sessions, {Errors} errors{(FirstError is null ? "" : $" (first: {FirstError})")}");
}

/// <summary>Thread-safe accumulation of per-session figures.</summary>
internal sealed class LoadStats
{
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _durations = [];
    private long _bytes;
    private long _errors;
    private string? _firstError;

    public void AddSession(TimeSpan duration, long bytes)
    {
        lock (_gate)
        {
            _durations.Add(duration);
            Interlocked.Add(ref _bytes, bytes);
        }
    }

    public void AddBytes(long bytes) => Interlocked.Add(ref _bytes, bytes);

    /// <summary>Counts an error; the first one's text is kept, so a run that only fails says why.</summary>
    public void AddError(string? why = null)
    {
        Interlocked.Increment(ref _errors);
        Interlocked.CompareExchange(ref _firstError, why, null);
    }

    public LoadResult Summarise(TimeSpan elapsed)
    {
        lock (_gate)
        {
            _durations.Sort();
            return new LoadResult(_durations.Count, _errors, _bytes, elapsed, Percentile(0.50), Percentile(0.99), _firstError);
        }
    }

    private TimeSpan Percentile(double fraction) =>
        _durations.Count == 0 ? TimeSpan.Zero : _durations[Math.Min(_durations.Count - 1, (int)(fraction * _durations.Count))];
}
