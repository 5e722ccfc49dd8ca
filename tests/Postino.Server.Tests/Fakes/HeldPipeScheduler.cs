using System.IO.Pipelines;

namespace Postino.Server.Tests.Fakes;

/// <summary>
/// A pipe scheduler that can hold the continuations it is given: as the writer scheduler of a paused pipe (a
/// pauseWriterThreshold of 1), it keeps the server stopped inside its flush once the client has read everything, so a
/// test can look at what the server did before that flush completed, without racing the thread pool.
/// </summary>
public sealed class HeldPipeScheduler : PipeScheduler
{
    private readonly Lock _gate = new();
    private readonly List<(Action<object?> Action, object? State)> _held = [];
    private bool _holding;

    /// <summary>From now on, continuations wait for <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            _holding = true;
        }
    }

    /// <summary>Runs the held continuations (on the thread pool) and stops holding.</summary>
    public void Release()
    {
        List<(Action<object?> Action, object? State)> held;
        lock (_gate)
        {
            _holding = false;
            held = [.. _held];
            _held.Clear();
        }

        foreach (var (action, state) in held)
        {
            ThreadPool.Schedule(action, state);
        }
    }

    public override void Schedule(Action<object?> action, object? state)
    {
        lock (_gate)
        {
            if (_holding)
            {
                _held.Add((action, state));
                return;
            }
        }

        ThreadPool.Schedule(action, state);
    }
}
