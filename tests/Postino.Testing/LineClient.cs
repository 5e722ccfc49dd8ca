using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postino.Testing;

/// <summary>
/// A bare line-level TCP client on loopback, for replies whose exact text matters (response codes), for driving
/// several servers at once, and for stopping mid-stream. Lines are Latin-1 both ways, so any octet round-trips; every
/// read has a deadline so a silent server fails the test instead of hanging it.
/// </summary>
public sealed partial class LineClient : IDisposable, IAsyncDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly IDisposable? _connection;
    private readonly Stream _stream;
    private readonly StreamReader _reader;

    /// <summary>Over a stream the test already holds (after it wrote a PROXY header, or under TLS).</summary>
    /// <param name="connection">disposed with the client (the socket under <paramref name="stream"/>), if any.</param>
    public LineClient(Stream stream, IDisposable? connection = null)
    {
        _connection = connection;
        _stream = stream;
        _reader = new StreamReader(_stream, Encoding.Latin1, false, 4096, leaveOpen: true);
    }

    public static async Task<LineClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        return new LineClient(tcp.GetStream(), tcp);
    }

    /// <summary>Connects to a TCP or Unix socket end point; a refused connection throws its SocketException.</summary>
    public static async Task<LineClient> ConnectAsync(EndPoint endPoint)
    {
        var socket = endPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = new CancellationTokenSource(Limit);
            await socket.ConnectAsync(endPoint, timeout.Token);
            return new LineClient(new NetworkStream(socket, ownsSocket: true));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects from a given loopback address (a distinct client behind a proxy); the client and its greeting, empty
    /// when the server hung up instead.
    /// </summary>
    public static async Task<(LineClient Client, string Greeting)> ConnectFromAsync(IPAddress from, int port)
    {
        var tcp = new TcpClient(new IPEndPoint(from, 0));
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var client = new LineClient(tcp.GetStream(), tcp);
        return (client, await client.TryReadLineAsync() ?? string.Empty);
    }

    /// <summary>The next line without its end; throws when the server closed the connection.</summary>
    public async Task<string> ReadLineAsync() => await TryReadLineAsync() ?? throw new IOException("connection closed");

    /// <summary>The next line, or null when the server closed (or reset) the connection.</summary>
    public async Task<string?> TryReadLineAsync()
    {
        try
        {
            return await _reader.ReadLineAsync().WaitAsync(Limit);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The next <paramref name="count"/> lines, null for each one after the server closed the connection.</summary>
    public async Task<List<string?>> ReadLinesAsync(int count)
    {
        var lines = new List<string?>();
        for (var i = 0; i < count; i++)
        {
            lines.Add(await TryReadLineAsync());
        }

        return lines;
    }

    /// <summary>Sends one line (CRLF added) and returns the first reply line.</summary>
    public async Task<string> CommandAsync(string line)
    {
        await WriteLineAsync(line);
        return await ReadLineAsync();
    }

    /// <summary>Sends one line, CRLF added, without waiting for a reply.</summary>
    public Task WriteLineAsync(string line) => WriteAsync(line + "\r\n");

    /// <summary>Sends text as it is (several pipelined lines, a line without its end).</summary>
    public Task WriteAsync(string text) => WriteAsync(Encoding.Latin1.GetBytes(text));

    public async Task WriteAsync(ReadOnlyMemory<byte> octets)
    {
        await _stream.WriteAsync(octets);
        await _stream.FlushAsync();
    }

    /// <summary>
    /// Reads one SMTP/LMTP reply (its continuation lines included) and checks its code; the last line.
    /// </summary>
    public async Task<string> ExpectAsync(string code)
    {
        while (true)
        {
            var line = await ReadLineAsync();
            if (!line.StartsWith(code, StringComparison.Ordinal))
            {
                throw new IOException($"expected {code}: {line}");
            }

            if (line.Length < 4 || line[3] == ' ')
            {
                return line;
            }
        }
    }

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

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
        _connection?.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
