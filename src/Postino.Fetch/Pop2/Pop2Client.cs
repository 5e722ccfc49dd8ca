using System.Globalization;
using Postino.Fetch.Protocol;
using Postino.Protocols.Pop2;

namespace Postino.Fetch.Pop2;

/// <summary>
/// A POP2 client (RFC 937). Message data is delimited only by the count the server announced with <c>=n</c>: RETR
/// reads exactly that many octets, never looks for a terminator and never unstuffs dots. A <c>-</c> reply throws
/// <see cref="MailCommandException"/>; POP2 servers close after it, so the client is disconnected too.
/// </summary>
public sealed class Pop2Client : IAsyncDisposable
{
    private readonly MailConnection _connection;

    private Pop2Client(MailConnection connection, string greeting)
    {
        _connection = connection;
        Greeting = greeting;
    }

    /// <summary>The greeting's text after <c>+</c>.</summary>
    public string Greeting { get; }

    /// <summary>Messages in the selected mailbox (after HELO or FOLD).</summary>
    public int MessageCount { get; private set; }

    public bool IsConnected => _connection.IsConnected;

    public static async Task<Pop2Client> ConnectAsync(string host, int port, TlsMode tlsMode, TlsOptions tlsOptions,
        MailConnectionOptions? options, CancellationToken cancellationToken)
    {
        if (tlsMode == TlsMode.StartTls)
        {
            throw new ArgumentException("POP2 has no STARTTLS; use implicit TLS or none.", nameof(tlsMode));
        }

        var stream = await TcpConnector.ConnectAsync(host, port, options, cancellationToken);
        try
        {
            if (tlsMode == TlsMode.Implicit)
            {
                stream = await TlsConnector.AuthenticateAsync(stream, host, tlsOptions, cancellationToken);
            }
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }

        return await ConnectAsync(stream, options, cancellationToken);
    }

    /// <summary>Starts a session on a connected stream: reads the <c>+</c> greeting.</summary>
    public static async Task<Pop2Client> ConnectAsync(Stream stream, MailConnectionOptions? options, CancellationToken cancellationToken)
    {
        var connection = new MailConnection(stream, options);
        var client = new Pop2Client(connection, string.Empty);
        try
        {
            var (lead, text) = await client.ReadReplyAsync("greeting", cancellationToken);
            if (lead != '+')
            {
                throw await client.FailAsync($"Unexpected POP2 greeting: {lead}{text}");
            }

            return new Pop2Client(connection, text);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// HELO: logs in and selects the default mailbox; returns its message count. User and password carry RFC 937's
    /// backslash escapes, which servers undo: unescaped, a password with a backslash or a space would not survive.
    /// </summary>
    public async Task<int> HeloAsync(string user, string password, CancellationToken cancellationToken)
    {
        var escapedUser = Pop2Escapes.Escape(user);
        await _connection.WriteLineAsync($"HELO {escapedUser} {Pop2Escapes.Escape(password)}", $"HELO {escapedUser} ****", cancellationToken);
        MessageCount = await ReadCountAsync("HELO", '#', cancellationToken);
        return MessageCount;
    }

    /// <summary>FOLD: selects another mailbox; returns its message count (0 for an empty or missing one).</summary>
    public async Task<int> FoldAsync(string mailbox, CancellationToken cancellationToken)
    {
        await _connection.WriteLineAsync($"FOLD {Pop2Escapes.Escape(mailbox)}", null, cancellationToken);
        MessageCount = await ReadCountAsync("FOLD", '#', cancellationToken);
        return MessageCount;
    }

    /// <summary>READ n: selects message <paramref name="msn"/>; returns its length in octets, 0 when there is none.</summary>
    public async Task<long> ReadAsync(int msn, CancellationToken cancellationToken)
    {
        await _connection.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"READ {msn}"), null, cancellationToken);
        return await ReadCountAsync("READ", '=', cancellationToken);
    }

    /// <summary>
    /// RETR: copies exactly <paramref name="length"/> octets (the count READ announced) into
    /// <paramref name="destination"/>. Must be followed by <see cref="AcksAsync"/>, <see cref="AckdAsync"/> or
    /// <see cref="NackAsync"/>.
    /// </summary>
    public async Task RetrieveAsync(long length, Stream destination, CancellationToken cancellationToken)
    {
        if (length <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), "RETR of an empty message makes the server close the connection.");
        }

        await _connection.WriteLineAsync("RETR", null, cancellationToken);
        await _connection.ReadExactAsync(destination, length, cancellationToken);
    }

    /// <summary>ACKS: received, keep it; returns the length of the next message (0 when none).</summary>
    public Task<long> AcksAsync(CancellationToken cancellationToken) => AckAsync("ACKS", cancellationToken);

    /// <summary>ACKD: received, delete it (at QUIT); returns the length of the next message (0 when none).</summary>
    public Task<long> AckdAsync(CancellationToken cancellationToken) => AckAsync("ACKD", cancellationToken);

    /// <summary>NACK: not received, keep it; returns the length of the same message.</summary>
    public Task<long> NackAsync(CancellationToken cancellationToken) => AckAsync("NACK", cancellationToken);

    /// <summary>QUIT: the server applies ACKD deletions and closes.</summary>
    public async Task QuitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _connection.WriteLineAsync("QUIT", null, cancellationToken);
            var (lead, text) = await ReadReplyAsync("QUIT", cancellationToken);
            if (lead != '+')
            {
                throw new MailProtocolException($"Unexpected reply to QUIT: {lead}{text}");
            }
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task<long> AckAsync(string verb, CancellationToken cancellationToken)
    {
        await _connection.WriteLineAsync(verb, null, cancellationToken);
        return await ReadCountAsync(verb, '=', cancellationToken);
    }

    private async Task<int> ReadCountAsync(string verb, char expectedLead, CancellationToken cancellationToken) =>
        (int)Math.Min(int.MaxValue, await ReadNumberAsync(verb, expectedLead, cancellationToken));

    private async Task<long> ReadNumberAsync(string verb, char expectedLead, CancellationToken cancellationToken)
    {
        var (lead, text) = await ReadReplyAsync(verb, cancellationToken);
        if (lead != expectedLead)
        {
            throw await FailAsync($"Unexpected reply to {verb}: {lead}{text}");
        }

        var digits = text.TakeWhile(char.IsAsciiDigit).Count();
        if (digits == 0 || !long.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw await FailAsync($"Reply to {verb} without a number: {lead}{text}");
        }

        return number;
    }

    /// <summary>Reads a reply line; a <c>-</c> reply closes the connection and throws <see cref="MailCommandException"/>.</summary>
    private async Task<(char Lead, string Text)> ReadReplyAsync(string verb, CancellationToken cancellationToken)
    {
        var line = await _connection.ReadLineAsync(cancellationToken);
        if (line.Length == 0)
        {
            throw await FailAsync($"Empty reply to {verb}.");
        }

        if (line[0] == '-')
        {
            await _connection.DisposeAsync();
            var code = verb == "HELO" ? ResponseCode.Auth : ResponseCode.None;
            throw new MailCommandException(verb, code, line[1..].Trim());
        }

        return (line[0], line[1..]);
    }

    private async Task<MailProtocolException> FailAsync(string message)
    {
        await _connection.DisposeAsync();
        return new MailProtocolException(message.Length <= 200 ? message : message[..200] + "...");
    }
}
