using System.Net.Sockets;
using System.Text;

namespace Postino.Interop.Tests;

/// <summary>A bare line-level TCP client, for replies whose exact text matters (response codes).</summary>
internal sealed class RawLineClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly StreamReader _reader;
    private readonly Stream _stream;

    private RawLineClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = new StreamReader(_stream, Encoding.Latin1);
    }

    public static async Task<RawLineClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        return new RawLineClient(tcp);
    }

    public async Task<string> ReadLineAsync() =>
        await _reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? throw new IOException("connection closed");

    public async Task<string> SendAsync(string line)
    {
        await _stream.WriteAsync(Encoding.Latin1.GetBytes(line + "\r\n"));
        return await ReadLineAsync();
    }

    public void Dispose() => _tcp.Dispose();
}
