using System.Net.Sockets;
using System.Text;

namespace Postino.Server.Tests.Delivery;

/// <summary>A bare LMTP client over a socket, for tests that need to stop mid-stream or count acknowledgements.</summary>
internal sealed class RawLmtpClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly StreamReader _replies;

    private RawLmtpClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _replies = new StreamReader(_stream, Encoding.ASCII, false, 1024, leaveOpen: true);
    }

    public static async Task<RawLmtpClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var client = new RawLmtpClient(tcp);
        await client.ExpectAsync("220");
        await client.WriteAsync("LHLO crash.test\r\n");
        await client.ExpectAsync("250");
        return client;
    }

    /// <summary>Sends one message to one recipient; returns when the server acknowledged it with 250.</summary>
    public async Task SendAsync(string sender, string recipient, byte[] dotStuffedBody)
    {
        await WriteAsync($"MAIL FROM:<{sender}>\r\nRCPT TO:<{recipient}>\r\nDATA\r\n");
        await ExpectAsync("250");
        await ExpectAsync("250");
        await ExpectAsync("354");
        for (var offset = 0; offset < dotStuffedBody.Length; offset += 16 * 1024)
        {
            await _stream.WriteAsync(dotStuffedBody.AsMemory(offset, Math.Min(16 * 1024, dotStuffedBody.Length - offset)));
        }

        await WriteAsync(".\r\n");
        await ExpectAsync("250");
    }

    /// <summary>Sends one message to several recipients (each accepted at RCPT); the per-recipient replies after the data.</summary>
    public async Task<IReadOnlyList<string>> SendToAllAsync(string sender, IReadOnlyList<string> recipients, byte[] dotStuffedBody)
    {
        await WriteAsync($"MAIL FROM:<{sender}>\r\n" + string.Concat(recipients.Select(r => $"RCPT TO:<{r}>\r\n")) + "DATA\r\n");
        await ExpectAsync("250");
        foreach (var _ in recipients)
        {
            await ExpectAsync("250");
        }

        await ExpectAsync("354");
        await _stream.WriteAsync(dotStuffedBody);
        await WriteAsync(".\r\n");
        var replies = new List<string>();
        foreach (var _ in recipients)
        {
            replies.Add(await _replies.ReadLineAsync() ?? throw new IOException("connection closed"));
        }

        return replies;
    }

    public async ValueTask DisposeAsync()
    {
        _replies.Dispose();
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    private async Task WriteAsync(string text) => await _stream.WriteAsync(Encoding.ASCII.GetBytes(text));

    private async Task ExpectAsync(string code)
    {
        while (true)
        {
            var line = await _replies.ReadLineAsync() ?? throw new IOException("connection closed");
            if (!line.StartsWith(code, StringComparison.Ordinal))
            {
                throw new IOException($"expected {code}: {line}");
            }

            if (line.Length < 4 || line[3] == ' ')
            {
                return;
            }
        }
    }
}
