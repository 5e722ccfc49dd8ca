using System.Net.Sockets;

namespace Postino.Fetch.Protocol;

/// <summary>Opens the TCP connection to a server, within the connection timeout.</summary>
public static class TcpConnector
{
    public static async Task<Stream> ConnectAsync(string host, int port, MailConnectionOptions? options, CancellationToken cancellationToken)
    {
        options ??= new MailConnectionOptions();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(options.Timeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await socket.ConnectAsync(host, port, linked.Token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new MailProtocolException($"Connecting to {host}:{port} timed out.");
        }
        catch (SocketException exception)
        {
            socket.Dispose();
            throw new MailProtocolException($"Cannot connect to {host}:{port}: {exception.Message}", exception);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
