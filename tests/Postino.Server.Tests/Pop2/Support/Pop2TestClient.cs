using System.Net.Sockets;
using System.Text;

namespace Postino.Server.Tests.Pop2.Support;

/// <summary>
/// A minimal POP2 client over a real socket: reply lines, counted RETR data, and a check that the server closed.
/// Every read carries a generous deadline so a broken server fails the test instead of hanging it.
/// </summary>
public sealed class Pop2TestClient : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    private Pop2TestClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<Pop2TestClient> ConnectAsync(string host, int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(host, port);
        return new Pop2TestClient(tcp);
    }

    public async Task SendAsync(string line)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), deadline.Token);
    }

    /// <summary>Sends a command and returns the reply line.</summary>
    public async Task<string> CommandAsync(string line)
    {
        await SendAsync(line);
        return await ReadLineAsync() ?? "(connection closed)";
    }

    /// <summary>The next CRLF-terminated line without its CRLF; null when the server closed first.</summary>
    public async Task<string?> ReadLineAsync()
    {
        var line = new List<byte>();
        while (true)
        {
            if (_start == _end && !await FillAsync())
            {
                return null;
            }

            var b = _buffer[_start++];
            if (b == (byte)'\n' && line.Count > 0 && line[^1] == (byte)'\r')
            {
                return Encoding.UTF8.GetString([.. line.Take(line.Count - 1)]);
            }

            line.Add(b);
        }
    }

    /// <summary>Exactly <paramref name="count"/> octets; fewer when the server closed first.</summary>
    public async Task<byte[]> ReadOctetsAsync(long count)
    {
        var data = new MemoryStream();
        while (data.Length < count)
        {
            if (_start == _end && !await FillAsync())
            {
                break;
            }

            var take = (int)Math.Min(_end - _start, count - data.Length);
            data.Write(_buffer, _start, take);
            _start += take;
        }

        return data.ToArray();
    }

    /// <summary>True when the server has closed the connection and sent nothing more.</summary>
    public async Task<bool> IsClosedAsync() => _start == _end && !await FillAsync();

    /// <summary>
    /// Goes away without QUIT, then waits until the server has ended the session (its side closes), so the next
    /// connection never races with the old session's mailbox lock.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _tcp.Client.Shutdown(SocketShutdown.Send);
            while (await FillAsync())
            {
            }
        }
        catch (SocketException)
        {
            // Already closed by the server.
        }
        finally
        {
            _tcp.Dispose();
        }
    }

    private async Task<bool> FillAsync()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            _start = 0;
            _end = await _stream.ReadAsync(_buffer, deadline.Token);
            return _end > 0;
        }
        catch (IOException)
        {
            _end = 0;
            return false;
        }
    }
}
