using Microsoft.Extensions.Time.Testing;

namespace Postino.Server.Tests.Fakes;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells a test when the code under test starts a timer of a given length, so
/// the test advances the clock only once the timer exists (never a sleep, never a race).
/// </summary>
public sealed class TimerWatchingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<(TimeSpan Due, TaskCompletionSource Started)> _waiters = [];

    /// <summary>Completes when a timer due in exactly <paramref name="due"/> is created (after this call).</summary>
    public Task TimerStarted(TimeSpan due)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiters.Add((due, started));
        }

        return started.Task;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Notify(dueTime);
        return new WatchedTimer(timer, this);
    }

    private void Notify(TimeSpan due)
    {
        lock (_gate)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Due == due)
                {
                    _waiters[i].Started.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Also reports re-armed timers (CancellationTokenSource.CancelAfter changes an existing one).</summary>
    private sealed class WatchedTimer(ITimer inner, TimerWatchingTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            owner.Notify(dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
