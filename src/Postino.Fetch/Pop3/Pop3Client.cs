using System.Globalization;
using System.Net.Sockets;
using Postino.Fetch.Protocol;

namespace Postino.Fetch.Pop3;

/// <summary>
/// A POP3 client (RFC 1939, 2449, 2595, 5034). One command at a time except where PIPELINING allows batches.
/// <c>-ERR</c> replies throw <see cref="MailCommandException"/> and leave the connection usable; anything else that
/// goes wrong throws <see cref="MailProtocolException"/> and closes it.
/// </summary>
public sealed partial class Pop3Client : IAsyncDisposable
{
    private const int PipelineBatch = 64;

    /// <summary>Most lines accepted in a CAPA reply; real servers send about a dozen.</summary>
    public const int MaxCapabilityLines = 256;

    /// <summary>
    /// Most messages a maildrop may announce in STAT. Also bounds LIST and UIDL before STAT was asked, so a
    /// hostile server's endless listing costs bounded memory.
    /// </summary>
    public const int MaxMessages = 1_000_000;

    private readonly MailConnection _connection;
    private int _listingCap = ListingCap(MaxMessages);

    private Pop3Client(MailConnection connection, string greeting, bool isSecure)
    {
        _connection = connection;
        Greeting = greeting;
        IsSecure = isSecure;
        ApopTimestamp = ExtractApopTimestamp(greeting);
    }

    /// <summary>The greeting's text after <c>+OK</c>.</summary>
    public string Greeting { get; }

    /// <summary>The <c>&lt;...&gt;</c> timestamp of the greeting, when the server offers APOP.</summary>
    public string? ApopTimestamp { get; }

    /// <summary>What the last CAPA announced.</summary>
    public Pop3Capabilities Capabilities { get; private set; } = Pop3Capabilities.None;

    /// <summary>True once the conversation runs over TLS.</summary>
    public bool IsSecure { get; private set; }

    public bool IsConnected => _connection.IsConnected;

    /// <summary>Connects over TCP, with TLS as <paramref name="tlsMode"/> says, reads the greeting and CAPA.</summary>
    public static async Task<Pop3Client> ConnectAsync(string host, int port, TlsMode tlsMode, TlsOptions tlsOptions,
        MailConnectionOptions? options, CancellationToken cancellationToken)
    {
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

        var client = await ConnectAsync(stream, tlsMode == TlsMode.Implicit, options, cancellationToken);
        try
        {
            await client.CapaAsync(cancellationToken);
            if (tlsMode == TlsMode.StartTls || (tlsMode == TlsMode.StartTlsIfOffered && client.Capabilities.StartTls))
            {
                await client.StartTlsAsync(host, tlsOptions, cancellationToken);
            }

            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a session on an already connected stream: reads the greeting only.</summary>
    public static async Task<Pop3Client> ConnectAsync(Stream stream, bool isSecure, MailConnectionOptions? options,
        CancellationToken cancellationToken)
    {
        var connection = new MailConnection(stream, options);
        try
        {
            var line = await connection.ReadLineAsync(cancellationToken);
            var text = CheckStatus(line, "greeting");
            return new Pop3Client(connection, text, isSecure);
        }
        catch (MailCommandException exception)
        {
            // A server that greets with -ERR will not serve this session (e.g. [SYS/TEMP] overload).
            await connection.DisposeAsync();
            throw new MailCommandException("greeting", exception.Code, exception.ServerText);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Asks CAPA; a server without CAPA (-ERR) yields no capabilities rather than an error.</summary>
    public async Task<Pop3Capabilities> CapaAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CommandAsync("CAPA", null, cancellationToken);
        }
        catch (MailCommandException)
        {
            Capabilities = Pop3Capabilities.None;
            return Capabilities;
        }

        Capabilities = new Pop3Capabilities(await ReadListAsync("CAPA", MaxCapabilityLines, cancellationToken));
        return Capabilities;
    }

    /// <summary>Upgrades to TLS with STLS (RFC 2595), then asks CAPA again: it may differ after TLS.</summary>
    public async Task StartTlsAsync(string host, TlsOptions tlsOptions, CancellationToken cancellationToken)
    {
        if (IsSecure)
        {
            throw new InvalidOperationException("The connection already uses TLS.");
        }

        if (!Capabilities.StartTls)
        {
            throw new MailTlsException("The server does not offer STLS; refusing to continue without TLS.");
        }

        try
        {
            await CommandAsync("STLS", null, cancellationToken);
        }
        catch (MailCommandException exception)
        {
            // The server offered TLS and then refused it: going on in clear would hand the password to whoever
            // stripped it.
            await _connection.DisposeAsync();
            throw new MailTlsException($"The server refused STLS: {exception.ServerText}");
        }

        await _connection.UpgradeAsync((inner, ct) => TlsConnector.AuthenticateAsync(inner, host, tlsOptions, ct), cancellationToken);
        IsSecure = true;
        await CapaAsync(cancellationToken);
    }

    /// <summary>STAT.</summary>
    public async Task<Pop3Stat> StatAsync(CancellationToken cancellationToken)
    {
        var text = await CommandAsync("STAT", null, cancellationToken);
        var parts = text.Split(' ', 3);
        if (parts.Length < 2 || !TryParseCount(parts[0], out var count) || !TryParseSize(parts[1], out var size))
        {
            throw await FailAsync($"Malformed STAT reply: {text}");
        }

        if (count > MaxMessages)
        {
            throw await FailAsync($"The server announces {count} messages, more than the {MaxMessages} postino fetch accepts.");
        }

        _listingCap = ListingCap(count);

        return new Pop3Stat(count, size);
    }

    /// <summary>LIST: every undeleted message's number and size.</summary>
    public async Task<IReadOnlyList<Pop3Listing>> ListAsync(CancellationToken cancellationToken)
    {
        await CommandAsync("LIST", null, cancellationToken);
        var listings = new List<Pop3Listing>();
        foreach (var line in await ReadListAsync("LIST", _listingCap, cancellationToken))
        {
            var parts = line.Split(' ', 3);
            if (parts.Length < 2 || !TryParseCount(parts[0], out var msn) || !TryParseSize(parts[1], out var size))
            {
                throw await FailAsync($"Malformed LIST line: {line}");
            }

            listings.Add(new Pop3Listing(msn, size));
        }

        return listings;
    }

    /// <summary>UIDL: every undeleted message's number and unique id.</summary>
    public async Task<IReadOnlyList<Pop3UidlEntry>> UidlAsync(CancellationToken cancellationToken)
    {
        await CommandAsync("UIDL", null, cancellationToken);
        var entries = new List<Pop3UidlEntry>();
        foreach (var line in await ReadListAsync("UIDL", _listingCap, cancellationToken))
        {
            var parts = line.Split(' ', 3);
            if (parts.Length < 2 || !TryParseCount(parts[0], out var msn) || !IsValidUidl(parts[1]))
            {
                throw await FailAsync($"Malformed UIDL line: {line}");
            }

            entries.Add(new Pop3UidlEntry(msn, parts[1]));
        }

        return entries;
    }

    /// <summary>RETR: streams the message, unstuffed, into <paramref name="destination"/>; returns its octets.</summary>
    public Task<long> RetrieveAsync(int msn, Stream destination, CancellationToken cancellationToken) =>
        RetrieveAsync(msn, destination, long.MaxValue, cancellationToken);

    /// <summary>
    /// RETR with a ceiling: past <paramref name="maxOctets"/> the download stops, the connection is closed and
    /// <see cref="MailDataOverrunException"/> is thrown (see <see cref="MessageCap"/>).
    /// </summary>
    public async Task<long> RetrieveAsync(int msn, Stream destination, long maxOctets, CancellationToken cancellationToken)
    {
        await CommandAsync(string.Create(CultureInfo.InvariantCulture, $"RETR {msn}"), null, cancellationToken);
        return await _connection.ReadDotDataAsync(destination, maxOctets, cancellationToken);
    }

    /// <summary>TOP: the header and the first <paramref name="bodyLines"/> body lines.</summary>
    public Task<long> TopAsync(int msn, int bodyLines, Stream destination, CancellationToken cancellationToken) =>
        TopAsync(msn, bodyLines, destination, long.MaxValue, cancellationToken);

    /// <summary>TOP: the header and the first <paramref name="bodyLines"/> body lines, at most <paramref name="maxOctets"/>.</summary>
    public async Task<long> TopAsync(int msn, int bodyLines, Stream destination, long maxOctets, CancellationToken cancellationToken)
    {
        await CommandAsync(string.Create(CultureInfo.InvariantCulture, $"TOP {msn} {bodyLines}"), null, cancellationToken);
        return await _connection.ReadDotDataAsync(destination, maxOctets, cancellationToken);
    }

    /// <summary>
    /// The most octets accepted for a message LIST announced at <paramref name="announcedSize"/>: the size plus
    /// max(1 MiB, 10 %). Servers count octets slightly differently (line ends, stuffing), never by that much.
    /// </summary>
    public static long MessageCap(long announcedSize)
    {
        var margin = Math.Max(1L << 20, announcedSize / 10);
        return announcedSize > long.MaxValue - margin ? long.MaxValue : announcedSize + margin;
    }

    /// <summary>The most lines accepted in LIST or UIDL for a maildrop of <paramref name="count"/> messages.</summary>
    public static int ListingCap(int count) => count + Math.Max(100, count / 10);

    /// <summary>DELE: marks one message; the server deletes it only at QUIT.</summary>
    public Task DeleteAsync(int msn, CancellationToken cancellationToken) =>
        CommandAsync(string.Create(CultureInfo.InvariantCulture, $"DELE {msn}"), null, cancellationToken);

    /// <summary>
    /// DELE for several messages, pipelined in batches when the server offers PIPELINING. Returns, per message in
    /// order, null when it was marked or the server's refusal.
    /// </summary>
    public async Task<IReadOnlyList<MailCommandException?>> DeleteManyAsync(IReadOnlyList<int> msns, CancellationToken cancellationToken)
    {
        var results = new List<MailCommandException?>(msns.Count);
        var batchSize = Capabilities.Pipelining ? PipelineBatch : 1;
        for (var start = 0; start < msns.Count; start += batchSize)
        {
            var batch = msns.Skip(start).Take(batchSize)
                .Select(msn => string.Create(CultureInfo.InvariantCulture, $"DELE {msn}")).ToArray();
            await _connection.WriteLinesAsync(batch, cancellationToken);
            for (var i = 0; i < batch.Length; i++)
            {
                try
                {
                    await ReadStatusAsync("DELE", cancellationToken);
                    results.Add(null);
                }
                catch (MailCommandException exception)
                {
                    results.Add(exception);
                }
            }
        }

        return results;
    }

    /// <summary>NOOP.</summary>
    public Task NoopAsync(CancellationToken cancellationToken) => CommandAsync("NOOP", null, cancellationToken);

    /// <summary>RSET: unmarks every message marked by DELE in this session.</summary>
    public Task ResetAsync(CancellationToken cancellationToken) => CommandAsync("RSET", null, cancellationToken);

    /// <summary>
    /// QUIT: the server applies the deletions and closes. A <c>-ERR</c> here means the deletions failed; it is thrown
    /// as <see cref="MailCommandException"/>, and the connection is closed either way.
    /// </summary>
    public async Task QuitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CommandAsync("QUIT", null, cancellationToken);
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <summary>Sends one command and reads its status line; returns the text after <c>+OK</c>.</summary>
    internal async Task<string> CommandAsync(string command, string? traceText, CancellationToken cancellationToken)
    {
        await _connection.WriteLineAsync(command, traceText, cancellationToken);
        return await ReadStatusAsync(Verb(command), cancellationToken);
    }

    internal async Task<string> ReadStatusAsync(string verb, CancellationToken cancellationToken)
    {
        var line = await _connection.ReadLineAsync(cancellationToken);
        try
        {
            return CheckStatus(line, verb);
        }
        catch (MailProtocolException)
        {
            await _connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads the lines of a multi-line reply up to its <c>.</c> line, unstuffed; at most <paramref name="maxLines"/>.</summary>
    private async Task<List<string>> ReadListAsync(string verb, int maxLines, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await _connection.ReadLineAsync(cancellationToken);
            if (line == ".")
            {
                return lines;
            }

            if (lines.Count >= maxLines)
            {
                await _connection.DisposeAsync();
                throw new MailDataOverrunException($"The server sent more than {maxLines} lines in reply to {verb}.");
            }

            lines.Add(line.StartsWith('.') ? line[1..] : line);
        }
    }

    private static string CheckStatus(string line, string verb)
    {
        if (line.StartsWith("+OK", StringComparison.OrdinalIgnoreCase) && (line.Length == 3 || line[3] == ' '))
        {
            return line.Length > 4 ? line[4..] : string.Empty;
        }

        if (line.StartsWith("-ERR", StringComparison.OrdinalIgnoreCase) && (line.Length == 4 || line[4] == ' '))
        {
            var (code, text) = ResponseCodes.Parse(line.Length > 5 ? line[5..] : string.Empty);
            throw new MailCommandException(verb, code, text);
        }

        throw new MailProtocolException($"Unexpected reply to {verb}: {Truncate(line)}");
    }

    private async Task<MailProtocolException> FailAsync(string message)
    {
        await _connection.DisposeAsync();
        return new MailProtocolException(Truncate(message));
    }

    private static string Verb(string command)
    {
        var space = command.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? command : command[..space];
    }

    private static string? ExtractApopTimestamp(string greeting)
    {
        var start = greeting.IndexOf('<', StringComparison.Ordinal);
        var end = start < 0 ? -1 : greeting.IndexOf('>', start);
        if (end < 0)
        {
            return null;
        }

        var stamp = greeting[start..(end + 1)];
        return stamp.Contains('@', StringComparison.Ordinal) ? stamp : null;
    }

    private static bool TryParseCount(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static bool TryParseSize(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static bool IsValidUidl(string uidl) =>
        uidl.Length is >= 1 and <= 70 && uidl.All(c => c is >= '!' and <= '~');

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
