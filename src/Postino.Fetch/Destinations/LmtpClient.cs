using System.Buffers;
using System.Globalization;
using Postino.Fetch.Protocol;
using Postino.Protocols.Text;

namespace Postino.Fetch.Destinations;

/// <summary>A minimal LMTP client (RFC 2033): LHLO, one MAIL/RCPT/DATA transaction at a time, QUIT.</summary>
public sealed class LmtpClient : IAsyncDisposable
{
    private readonly MailConnection _connection;

    private LmtpClient(MailConnection connection) => _connection = connection;

    public static async Task<LmtpClient> ConnectAsync(string host, int port, MailConnectionOptions? options, CancellationToken cancellationToken)
    {
        var stream = await TcpConnector.ConnectAsync(host, port, options, cancellationToken);
        var client = new LmtpClient(new MailConnection(stream, options));
        try
        {
            await client.ExpectAsync("greeting", 220, cancellationToken);
            await client._connection.WriteLineAsync($"LHLO {Postino.Storage.LocalHostName.Default}", null, cancellationToken);
            await client.ExpectAsync("LHLO", 250, cancellationToken);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Delivers one message (wire form, CR LF) to one recipient; throws on any refusal.</summary>
    public async Task DeliverAsync(string sender, string recipient, Stream message, CancellationToken cancellationToken)
    {
        await _connection.WriteLineAsync($"MAIL FROM:<{sender}>", null, cancellationToken);
        await ExpectAsync("MAIL", 250, cancellationToken);
        await _connection.WriteLineAsync($"RCPT TO:<{recipient}>", null, cancellationToken);
        await ExpectAsync("RCPT", 250, cancellationToken);
        await _connection.WriteLineAsync("DATA", null, cancellationToken);
        await ExpectAsync("DATA", 354, cancellationToken);

        var encoder = new MessageEncoder(dotStuff: true);
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await message.ReadAsync(buffer, cancellationToken)) > 0)
            {
                encoder.Encode(buffer.AsSpan(0, read), output);
                await _connection.Stream.WriteAsync(output.WrittenMemory, cancellationToken);
                output.ResetWrittenCount();
            }

            encoder.Complete(output);
            output.Write(MessageEncoder.Terminator);
            await _connection.Stream.WriteAsync(output.WrittenMemory, cancellationToken);
            await _connection.Stream.FlushAsync(cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        // One reply per accepted recipient (RFC 2033 §4.2); there is exactly one.
        await ExpectAsync("DATA end", 250, cancellationToken);
    }

    public async Task QuitAsync(CancellationToken cancellationToken)
    {
        await _connection.WriteLineAsync("QUIT", null, cancellationToken);
        await ExpectAsync("QUIT", 221, cancellationToken);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task ExpectAsync(string step, int expected, CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await _connection.ReadLineAsync(cancellationToken);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            {
                throw new MailProtocolException($"Malformed LMTP reply to {step}: {line}");
            }

            if (line.Length > 3 && line[3] == '-')
            {
                continue;
            }

            if (code != expected)
            {
                throw new MessageDestinationException($"LMTP server refused {step}: {line}", isTemporary: code is >= 400 and < 500);
            }

            return;
        }
    }
}
