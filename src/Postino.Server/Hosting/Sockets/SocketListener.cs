using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Postino.Server.Hosting.Sockets;

/// <summary>A bound, listening socket: accepts connections as <see cref="SocketConnection"/>s.</summary>
internal sealed partial class SocketListener : IConnectionListener
{
    /// <summary>How long accepting pauses when the process or the system is out of descriptors or buffers.</summary>
    private static readonly TimeSpan ResourcePause = TimeSpan.FromMilliseconds(50);

    private readonly Socket _socket;
    private readonly SocketConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly bool _tcp;

    private SocketListener(Socket socket, SocketConnectionOptions options, ILogger logger)
    {
        _socket = socket;
        _options = options;
        _logger = logger;
        _tcp = socket.ProtocolType == ProtocolType.Tcp;
        EndPoint = socket.LocalEndPoint!;
    }

    public EndPoint EndPoint { get; }

    /// <summary>Binds and listens on <paramref name="endPoint"/> (an IPv6 "any" address takes IPv4 too).</summary>
    public static SocketListener Bind(EndPoint endPoint, SocketConnectionOptions options, ILogger logger)
    {
        var socket = endPoint switch
        {
            IPEndPoint ip => new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp),
            UnixDomainSocketEndPoint => new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified),
            _ => throw new NotSupportedException($"cannot listen on a {endPoint.GetType().Name}"),
        };

        try
        {
            if (endPoint is IPEndPoint { Address: var address } && address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(endPoint);
            socket.Listen(options.Backlog);
            return new SocketListener(socket, options, logger);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted)
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
            {
                // Retrying at once would spin: the descriptor or buffer is not coming back this microsecond.
                LogAcceptPaused(_logger, EndPoint, e.SocketErrorCode);
                await Task.Delay(ResourcePause, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (SocketException)
            {
                // A connection reset while it waited in the backlog: the client's doing, try the next one.
                continue;
            }

            if (_tcp)
            {
                // Replies are written whole and flushed once: nothing to gain from Nagle's delay, a round trip to lose.
                accepted.NoDelay = true;
            }

            return SocketConnection.Start(accepted, _options);
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "listener {EndPoint}: accept failed ({Error}), pausing accepts briefly")]
    private static partial void LogAcceptPaused(ILogger logger, EndPoint endPoint, SocketError error);
}
