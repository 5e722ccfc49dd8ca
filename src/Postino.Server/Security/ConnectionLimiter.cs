using System.Net;

namespace Postino.Server.Security;

/// <summary>Why a connection was refused.</summary>
public enum ConnectionRefusal
{
    None,
    PerAddressLimit,
    TotalLimit,

    /// <summary>Too many TLS handshakes in progress on the listener.</summary>
    PendingHandshakes,

    /// <summary>A PROXY protocol listener was reached by a peer that is not a trusted proxy.</summary>
    UntrustedProxy,

    /// <summary>The PROXY protocol header was malformed, or did not arrive in time.</summary>
    BadProxyHeader,

    /// <summary>The process is at its descriptor budget (<see cref="Hosting.DescriptorBudget"/>), every listener together.</summary>
    Descriptors,
}

/// <summary>
/// Counts open connections per remote address (IPv6 per /64) and in total, for one listener. The admission middleware
/// (<see cref="Hosting.ConnectionAdmission"/>) calls <see cref="TryAcquire"/> when a client connects and, only when that
/// succeeded, <see cref="Release"/> exactly once when it goes. A null address (a Unix socket client, local and
/// guarded by file permissions) counts in the total only.
/// </summary>
public sealed class ConnectionLimiter
{
    private readonly ConnectionLimitOptions options;
    private readonly Dictionary<IPAddress, int> perAddress = [];
    private readonly Lock gate = new();
    private int total;

    public ConnectionLimiter(ConnectionLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PerAddress, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Total, 1);
        this.options = options;
    }

    /// <summary>Connections open now.</summary>
    public int Total
    {
        get
        {
            lock (gate)
            {
                return total;
            }
        }
    }

    /// <summary>Connections open now from <paramref name="remoteAddress"/>'s group.</summary>
    public int CountFor(IPAddress remoteAddress)
    {
        var key = RemoteAddressGroup.Of(remoteAddress);
        lock (gate)
        {
            return perAddress.GetValueOrDefault(key);
        }
    }

    /// <summary>Counts a new connection; false (and nothing counted) when a cap is reached.</summary>
    public bool TryAcquire(IPAddress? remoteAddress, out ConnectionRefusal refusal)
    {
        var key = remoteAddress is null ? null : RemoteAddressGroup.Of(remoteAddress);
        lock (gate)
        {
            if (total >= options.Total)
            {
                refusal = ConnectionRefusal.TotalLimit;
                return false;
            }

            if (key is not null)
            {
                var count = perAddress.GetValueOrDefault(key);
                if (count >= options.PerAddress)
                {
                    refusal = ConnectionRefusal.PerAddressLimit;
                    return false;
                }

                perAddress[key] = count + 1;
            }

            total++;
            refusal = ConnectionRefusal.None;
            return true;
        }
    }

    /// <summary>Uncounts a connection that <see cref="TryAcquire"/> admitted.</summary>
    public void Release(IPAddress? remoteAddress)
    {
        if (remoteAddress is null)
        {
            lock (gate)
            {
                total = total > 0 ? total - 1 : throw new InvalidOperationException("release without a matching acquire");
            }

            return;
        }

        var key = RemoteAddressGroup.Of(remoteAddress);
        lock (gate)
        {
            if (!perAddress.TryGetValue(key, out var count))
            {
                throw new InvalidOperationException("release without a matching acquire");
            }

            if (count == 1)
            {
                perAddress.Remove(key);
            }
            else
            {
                perAddress[key] = count - 1;
            }

            total--;
        }
    }
}
