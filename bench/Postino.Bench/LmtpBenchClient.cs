using System.Net.Sockets;
using System.Text;

namespace Postino.Bench;

/// <summary>
/// A minimal pipelining LMTP client for load generation: one connection, many transactions (as an MTA caching its
/// connection does). Works against any LMTP server, over TCP or a Unix socket.
/// </summary>
internal sealed class LmtpBenchClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _replies;

    private LmtpBenchClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _replies = new StreamReader(_stream, Encoding.ASCII, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
    }

    /// <param name="endpoint">HOST:PORT or unix:PATH.</param>
    public static async Task<LmtpBenchClient> ConnectAsync(string endpoint, CancellationToken cancellationToken)
    {
        Socket socket;
        if (endpoint.StartsWith("unix:", StringComparison.Ordinal))
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(endpoint["unix:".Length..]), cancellationToken);
        }
        else
        {
            var colon = endpoint.LastIndexOf(':');
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(endpoint[..colon], int.Parse(endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        }

        var client = new LmtpBenchClient(socket);
        await client.ExpectAsync(220, cancellationToken);
        await client.WriteAsync("LHLO bench.test\r\n"u8.ToArray(), cancellationToken);
        var capabilities = await client.ExpectAsync(250, cancellationToken);
        client.SupportsSize = capabilities.Any(c => c.Length >= 8 && (c[4..].Equals("SIZE", StringComparison.OrdinalIgnoreCase) || c[4..].StartsWith("SIZE ", StringComparison.OrdinalIgnoreCase)));
        return client;
    }

    /// <summary>
    /// True when the server announced SIZE (RFC 1870). Dovecot's LMTP does not, and answers a MAIL FROM with a SIZE=
    /// parameter with an error: the envelope must only carry it when announced.
    /// </summary>
    public bool SupportsSize { get; private set; }

    /// <summary>
    /// One pipelined transaction: MAIL, one RCPT per recipient, DATA in one write, then the message, then its replies
    /// (LMTP: one per recipient).
    /// </summary>
    public async Task SendAsync(byte[] envelope, int recipients, ReadOnlyMemory<byte> stuffedMessageWithTerminator, CancellationToken cancellationToken)
    {
        await WriteAsync(envelope, cancellationToken);
        for (var i = 0; i <= recipients; i++)
        {
            await ExpectAsync(250, cancellationToken);
        }

        await ExpectAsync(354, cancellationToken);
        await _stream.WriteAsync(stuffedMessageWithTerminator, cancellationToken);
        for (var i = 0; i < recipients; i++)
        {
            await ExpectAsync(250, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await WriteAsync("QUIT\r\n"u8.ToArray(), CancellationToken.None);
            await _replies.ReadLineAsync(CancellationToken.None);
        }
        catch (IOException)
        {
            // The server may already have closed.
        }

        _replies.Dispose();
        await _stream.DisposeAsync();
        _socket.Dispose();
    }

    private async Task WriteAsync(byte[] data, CancellationToken cancellationToken) =>
        await _stream.WriteAsync(data, cancellationToken);

    /// <summary>Reads one reply (all its lines) and returns its lines; any other code is an error carrying the reply.</summary>
    private async Task<List<string>> ExpectAsync(int code, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await _replies.ReadLineAsync(cancellationToken) ?? throw new IOException("connection closed");
            if (line.Length < 4 || !line.StartsWith(code.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
            {
                throw new IOException($"expected {code}, got: {line}");
            }

            lines.Add(line);
            if (line[3] == ' ')
            {
                return lines;
            }
        }
    }
}
