using System.Net;

namespace Postino.Server.Delivery;

/// <summary>
/// Counts open connections per remote IP address and refuses one past the limit. A stand-in until the shared
/// ConnectionLimiter (src/Postino.Server/Security) is on main.
/// </summary>
public sealed class RemoteAddressLimiter(int maxPerAddress)
{
    private readonly Dictionary<IPAddress, int> _open = [];
    private readonly Lock _lock = new();

    /// <summary>A lease to dispose when the connection ends, or null when the address is at its limit. Unix
    /// socket peers (no IP address) are not limited.</summary>
    public IDisposable? TryAcquire(EndPoint? remote)
    {
        if (remote is not IPEndPoint ip || maxPerAddress <= 0)
        {
            return new Lease(this, null);
        }

        lock (_lock)
        {
            var count = _open.GetValueOrDefault(ip.Address);
            if (count >= maxPerAddress)
            {
                return null;
            }

            _open[ip.Address] = count + 1;
        }

        return new Lease(this, ip.Address);
    }

    private void Release(IPAddress address)
    {
        lock (_lock)
        {
            var count = _open[address] - 1;
            if (count == 0)
            {
                _open.Remove(address);
            }
            else
            {
                _open[address] = count;
            }
        }
    }

    private sealed class Lease(RemoteAddressLimiter owner, IPAddress? address) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (address is not null && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(address);
            }
        }
    }
}
