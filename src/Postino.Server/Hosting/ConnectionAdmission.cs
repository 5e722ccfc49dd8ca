using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Postino.Protocols.Proxy;
using Postino.Server.Security;

namespace Postino.Server.Hosting;

/// <summary>
/// The one admission path of a listener, run on every connection before anything else (before TLS): it reads the
/// PROXY protocol header when the listener takes one (so that everything after sees the real client), applies the
/// listener's caps per address (IPv6 per /64) and in total, then the process's descriptor budget shared by every
/// listener (<see cref="DescriptorBudget"/>), and on an implicit-TLS listener bounds the handshakes in
/// progress and their duration. A refused connection is closed at once, after the protocol's refusal line on a
/// plaintext listener and with nothing on a TLS one, so a refusal costs no TLS work; refusals are counted and logged
/// by <see cref="Refusals"/>.
/// </summary>
public sealed class ConnectionAdmission
{
    private readonly ConnectionAdmissionOptions options;
    private readonly ConnectionLimiter limiter;
    private readonly byte[]? refusalLine;
    private readonly TimeProvider time;
    private readonly DescriptorBudget? descriptors;
    private int handshakesInProgress;
    private int proxyHeadersPending;

    public ConnectionAdmission(
        string listenerName,
        ConnectionAdmissionOptions options,
        bool implicitTls,
        ILogger logger,
        TimeProvider time,
        DescriptorBudget? descriptors = null)
    {
        ArgumentNullException.ThrowIfNull(listenerName);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        PostinoOptionsException.ThrowIfInvalid(options.Validate());
        this.options = options;
        this.time = time;
        this.descriptors = descriptors;
        limiter = new ConnectionLimiter(new ConnectionLimitOptions { PerAddress = options.ConnectionsPerAddress, Total = options.TotalConnections });
        refusalLine = implicitTls ? null : Encoding.ASCII.GetBytes((options.RefusalLine ?? ConnectionAdmissionOptions.RefusalFor(listenerName)) + "\r\n");
        Refusals = new ConnectionRefusalLog(listenerName, logger, time);
    }

    public ConnectionAdmissionOptions Options => options;

    /// <summary>Refused connections, by reason.</summary>
    public ConnectionRefusalLog Refusals { get; }

    /// <summary>Connections admitted and still open.</summary>
    public int OpenConnections => limiter.Total;

    /// <summary>TLS handshakes in progress now.</summary>
    public int HandshakesInProgress => Volatile.Read(ref handshakesInProgress);

    /// <summary>Connections from trusted proxies whose PROXY header is still awaited.</summary>
    public int ProxyHeadersPending => Volatile.Read(ref proxyHeadersPending);

    /// <summary>The admission middleware: PROXY header, then caps, then the rest of the pipeline.</summary>
    public async Task AdmitAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(next);
        if (options.ProxyProtocol && !await TryTakeProxyHeaderAsync(connection))
        {
            return;
        }

        // Unix socket clients have no address: they count in the total only.
        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (!limiter.TryAcquire(address, out var refusal))
        {
            await RefuseAsync(connection, refusal);
            return;
        }

        if (descriptors is not null && !descriptors.TryAcquire())
        {
            limiter.Release(address);
            await RefuseAsync(connection, ConnectionRefusal.Descriptors);
            return;
        }

        var slot = new Slot(limiter, address, descriptors);
        connection.Features.Set<IConnectionAdmissionFeature>(slot);
        try
        {
            await next(connection);
        }
        finally
        {
            slot.Release();
        }
    }

    /// <summary>Runs before the TLS layer: takes a handshake slot (or refuses) and arms the handshake deadline.</summary>
    public async Task BeginHandshakeAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(next);
        // The deadline is armed before the slot is counted, so that whoever sees the count sees the deadline too.
        var handshake = new Handshake(this, connection, time, options.HandshakeTimeout);
        if (Interlocked.Increment(ref handshakesInProgress) > options.PendingHandshakes)
        {
            handshake.Complete();
            await RefuseAsync(connection, ConnectionRefusal.PendingHandshakes);
            return;
        }

        connection.Features.Set(handshake);
        try
        {
            await next(connection);
        }
        finally
        {
            // A failed or timed-out handshake never reaches EndHandshakeAsync.
            handshake.Complete();
        }
    }

    /// <summary>Runs after the TLS layer: the handshake is done, its slot and deadline go.</summary>
    public static Task EndHandshakeAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(next);
        connection.Features.Get<Handshake>()?.Complete();
        return next(connection);
    }

    private async Task<bool> TryTakeProxyHeaderAsync(ConnectionContext connection)
    {
        if (connection.RemoteEndPoint is not IPEndPoint peer || !IsTrustedProxy(peer.Address))
        {
            // Nothing is read from a peer that may not speak for others, so it cannot hold the listener either.
            await RefuseAsync(connection, ConnectionRefusal.UntrustedProxy, quietly: true);
            return false;
        }

        ProxyHeader? header;
        using (var deadline = new CancellationTokenSource(options.HandshakeTimeout, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, connection.ConnectionClosed))
        {
            Interlocked.Increment(ref proxyHeadersPending);
            try
            {
                header = await ProxyHeaderReader.ReadAsync(connection.Transport.Input, linked.Token);
            }
            catch (OperationCanceledException)
            {
                header = null;
            }
            finally
            {
                Interlocked.Decrement(ref proxyHeadersPending);
            }
        }

        if (header is null)
        {
            await RefuseAsync(connection, ConnectionRefusal.BadProxyHeader, quietly: true);
            return false;
        }

        if (header is { Command: ProxyCommand.Proxy, Source: { } source })
        {
            connection.RemoteEndPoint = source;
            connection.LocalEndPoint = header.Destination;
        }

        return true;
    }

    private bool IsTrustedProxy(IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in options.TrustedProxies)
        {
            if (network.Contains(plain))
            {
                return true;
            }
        }

        return false;
    }

    private async Task RefuseAsync(ConnectionContext connection, ConnectionRefusal reason, bool quietly = false)
    {
        Refusals.Record(reason, connection.RemoteEndPoint?.ToString() ?? "local");
        if (refusalLine is not null && !quietly)
        {
            try
            {
                await connection.Transport.Output.WriteAsync(refusalLine, connection.ConnectionClosed);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
            {
                // The client is gone already: nothing to tell it.
            }
        }

        await connection.Transport.Output.CompleteAsync();
    }

    private sealed class Slot(ConnectionLimiter limiter, IPAddress? address, DescriptorBudget? descriptors) : IConnectionAdmissionFeature
    {
        private int released;

        public void Release()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                limiter.Release(address);
                descriptors?.Release();
            }
        }
    }

    private sealed class Handshake
    {
        private readonly ConnectionAdmission owner;
        private readonly ITimer deadline;
        private int completed;

        public Handshake(ConnectionAdmission owner, ConnectionContext connection, TimeProvider time, TimeSpan timeout)
        {
            this.owner = owner;
            deadline = time.CreateTimer(
                static state => ((ConnectionContext)state!).Abort(new ConnectionAbortedException("TLS handshake deadline passed")),
                connection,
                timeout,
                Timeout.InfiniteTimeSpan);
        }

        public void Complete()
        {
            if (Interlocked.Exchange(ref completed, 1) == 0)
            {
                deadline.Dispose();
                Interlocked.Decrement(ref owner.handshakesInProgress);
            }
        }
    }
}
