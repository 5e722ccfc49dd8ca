using System.Net;

namespace Postino.Server.Security;

/// <summary>
/// One password check in flight per remote address (IPv6 per /64), across connections and protocols: a login holds
/// its address's turn from the check until its answer, failed-login penalty included, so twenty parallel connections
/// from one address guess no faster than one. Waiting is asynchronous and ends with the connection; an address's
/// queue is bounded by its connection cap. Turns exist only while someone holds or waits for them.
/// </summary>
/// <remarks>
/// A passed-on turn resumes its waiter on the thread that passed it, not on the thread pool: behind NAT (or in a
/// benchmark from one address) every other login waits here, and a pool hop each time would wake and spin an idle
/// worker for microseconds of work. One level only: a waiter resumed inline that passes the turn on again queues
/// the next one to the pool, so a long queue never becomes a deep stack.
/// </remarks>
public sealed class LoginThrottle
{
    [ThreadStatic]
    private static bool resumingInline;

    private readonly Dictionary<IPAddress, Turn> turns = [];
    private readonly Lock gate = new();

    /// <summary>Addresses with a check in flight or waiting.</summary>
    public int ActiveAddresses
    {
        get
        {
            lock (gate)
            {
                return turns.Count;
            }
        }
    }

    /// <summary>Waits for <paramref name="remoteAddress"/>'s turn; dispose the result to pass it on.</summary>
    public ValueTask<IDisposable> EnterAsync(IPAddress remoteAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remoteAddress);
        cancellationToken.ThrowIfCancellationRequested();
        var key = RemoteAddressGroup.Of(remoteAddress);
        Waiter waiter;
        lock (gate)
        {
            if (!turns.TryGetValue(key, out var turn))
            {
                turn = new Turn();
                turns[key] = turn;
            }

            turn.Users++;
            if (!turn.Held)
            {
                turn.Held = true;
                return ValueTask.FromResult<IDisposable>(new Lease(this, key, turn));
            }

            waiter = new Waiter(this, key, turn);
            turn.Waiters.AddLast(waiter.Node);
        }

        return WaitAsync(waiter, cancellationToken);
    }

    private static async ValueTask<IDisposable> WaitAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        using (cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Cancel(token), waiter))
        {
            try
            {
                await waiter.Granted.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                waiter.Owner.Leave(waiter.Key, waiter.Turn, held: false);
                throw;
            }
        }

        return new Lease(waiter.Owner, waiter.Key, waiter.Turn);
    }

    private void Leave(IPAddress key, Turn turn, bool held)
    {
        Waiter? next = null;
        lock (gate)
        {
            if (held)
            {
                if (turn.Waiters.First is { } first)
                {
                    // The turn stays held: it changes owner here, under the lock, so a cancellation racing this
                    // hand-over finds its waiter gone from the queue and leaves the turn to it.
                    turn.Waiters.Remove(first);
                    next = first.Value;
                }
                else
                {
                    turn.Held = false;
                }
            }

            if (--turn.Users == 0)
            {
                turns.Remove(key);
            }
        }

        if (next is null)
        {
            return;
        }

        if (resumingInline)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static w => w.Granted.TrySetResult(), next, preferLocal: false);
            return;
        }

        resumingInline = true;
        try
        {
            next.Granted.TrySetResult();
        }
        finally
        {
            resumingInline = false;
        }
    }

    private sealed class Turn
    {
        public bool Held { get; set; }

        public LinkedList<Waiter> Waiters { get; } = new();

        public int Users { get; set; }
    }

    private sealed class Waiter
    {
        public Waiter(LoginThrottle owner, IPAddress key, Turn turn)
        {
            Owner = owner;
            Key = key;
            Turn = turn;
            Node = new LinkedListNode<Waiter>(this);
        }

        public LoginThrottle Owner { get; }

        public IPAddress Key { get; }

        public Turn Turn { get; }

        public LinkedListNode<Waiter> Node { get; }

        // Continuations run where the turn is passed on (see the class remarks), hence no RunContinuationsAsynchronously.
        public TaskCompletionSource Granted { get; } = new();

        public void Cancel(CancellationToken cancellationToken)
        {
            lock (Owner.gate)
            {
                if (Node.List is null)
                {
                    return;
                }

                Turn.Waiters.Remove(Node);
            }

            Granted.TrySetCanceled(cancellationToken);
        }
    }

    private sealed class Lease(LoginThrottle owner, IPAddress key, Turn turn) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                owner.Leave(key, turn, held: true);
            }
        }
    }
}
