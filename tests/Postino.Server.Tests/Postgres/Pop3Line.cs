using System.Net.Sockets;
using System.Text;

namespace Postino.Server.Tests.Postgres;

/// <summary>A line-at-a-time POP3 client over a real socket, for driving several nodes at once.</summary>
internal sealed class Pop3Line : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    private Pop3Line(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = new StreamReader(_stream, Encoding.Latin1, false, 4096, leaveOpen: true);
    }

    public static async Task<Pop3Line> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var client = new Pop3Line(tcp);
        Assert.StartsWith("+OK", await client.ReadLineAsync(), StringComparison.Ordinal);
        return client;
    }

    /// <summary>Connects from a given loopback address (a distinct client behind a proxy); the client and its greeting.</summary>
    public static async Task<(Pop3Line Client, string Greeting)> ConnectFromAsync(System.Net.IPAddress from, int port)
    {
        var tcp = new TcpClient(new System.Net.IPEndPoint(from, 0));
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port);
        var client = new Pop3Line(tcp);
        return (client, await client._reader.ReadLineAsync() ?? string.Empty);
    }

    /// <summary>USER and PASS; the reply to PASS.</summary>
    public async Task<string> LoginAsync(string user, string password)
    {
        Assert.StartsWith("+OK", await CommandAsync($"USER {user}"), StringComparison.Ordinal);
        return await CommandAsync($"PASS {password}");
    }

    public async Task<string> CommandAsync(string command)
    {
        await SendAsync(command);
        return await ReadLineAsync();
    }

    public async Task SendAsync(string command) => await _stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));

    /// <summary>The multi-line body after a +OK (dot-unstuffed, CRLF line ends kept).</summary>
    public async Task<string> ReadMultiLineAsync()
    {
        var text = new StringBuilder();
        while (await ReadLineAsync() is var line && line != ".")
        {
            text.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
        }

        return text.ToString();
    }

    public async Task<string> ReadLineAsync() => await _reader.ReadLineAsync() ?? throw new IOException("connection closed");

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
