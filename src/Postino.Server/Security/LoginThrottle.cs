using System.Net;

namespace Postino.Server.Security;

/// <summary>
/// One password check in flight per remote address (IPv6 per /64), across connections and protocols: a login holds
/// its address's turn from the check until its answer, failed-login penalty included, so twenty parallel connections
/// from one address guess no faster than one. Waiting is asynchronous and ends with the connection; an address's
/// queue is bounded by its connection cap. Turns exist only while someone holds or waits for them.
/// </summary>
public sealed class LoginThrottle
{
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
    public async ValueTask<IDisposable> EnterAsync(IPAddress remoteAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remoteAddress);
        var key = RemoteAddressGroup.Of(remoteAddress);
        Turn turn;
        lock (gate)
        {
            if (!turns.TryGetValue(key, out turn!))
            {
                turn = new Turn();
                turns[key] = turn;
            }

            turn.Users++;
        }

        try
        {
            await turn.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(key, turn, held: false);
            throw;
        }

        return new Lease(this, key, turn);
    }

    private void Leave(IPAddress key, Turn turn, bool held)
    {
        lock (gate)
        {
            if (held)
            {
                turn.Semaphore.Release();
            }

            if (--turn.Users == 0)
            {
                turns.Remove(key);
                turn.Semaphore.Dispose();
            }
        }
    }

    private sealed class Turn
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
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
