using Microsoft.Extensions.Time.Testing;

namespace Postino.Server.Tests.Security;

/// <summary>A fake clock that also tells when code under test starts waiting on it (creates a timer).</summary>
internal sealed class SignallingTimeProvider : FakeTimeProvider
{
    private TaskCompletionSource timerCreated = NewSource();

    public SignallingTimeProvider()
        : base(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Completes when the next timer is created; re-armed by <see cref="ExpectTimer"/>.</summary>
    public Task TimerCreated => timerCreated.Task;

    public void ExpectTimer() => timerCreated = NewSource();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        timerCreated.TrySetResult();
        return timer;
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
