using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postino.Fetch.Tests.Support;

/// <summary>
/// A small POP3 server for fetcher tests: one session at a time, USER/PASS, CAPA, STAT, LIST, UIDL, RETR, TOP, DELE,
/// RSET, NOOP, QUIT; DELE applies only at QUIT. <see cref="LoginRefusals"/> makes the next logins fail with a code.
/// </summary>
internal sealed class FakePop3Server : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakePop3Server(FakeMailbox mailbox, string user = "alice", string password = "secret")
    {
        Mailbox = mailbox;
        User = user;
        Password = password;
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public FakeMailbox Mailbox { get; }

    public string User { get; }

    public string Password { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public bool OfferUidl { get; set; } = true;

    public string ExtraCapabilities { get; set; } = string.Empty;

    /// <summary>Replies given to the next PASS commands instead of +OK, one per login.</summary>
    public Queue<string> LoginRefusals { get; } = new();

    /// <summary>
    /// Plays a hostile server: called with each command line once logged in state is known; returning true means it
    /// answered (or streamed) itself and the normal reply is skipped.
    /// </summary>
    public Func<string, Stream, CancellationToken, Task<bool>>? Hostile { get; set; }

    public int Sessions { get; private set; }

    public int Retrievals { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            using (socket)
            {
                Sessions++;
                try
                {
                    await ServeAsync(new NetworkStream(socket), _stop.Token);
                }
                catch (Exception exception) when (exception is IOException or OperationCanceledException or SocketException)
                {
                    // The client went away: nothing is committed.
                }
            }
        }
    }

    private async Task ServeAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var messages = Mailbox.Snapshot();
        var deleted = new HashSet<int>();
        var loggedIn = false;
        await SendAsync(stream, "+OK fake POP3 ready", cancellationToken);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            var parts = line.Split(' ', 2);
            var verb = parts[0].ToUpperInvariant();
            var argument = parts.Length > 1 ? parts[1] : string.Empty;
            int Msn() => int.Parse(argument.Split(' ')[0], CultureInfo.InvariantCulture);
            bool Valid(int msn) => msn >= 1 && msn <= messages.Count && !deleted.Contains(msn);
            if (Hostile is { } hostile && await hostile(line, stream, cancellationToken))
            {
                continue;
            }
            switch (verb)
            {
                case "CAPA":
                    await SendAsync(stream, $"+OK\r\nUSER\r\nTOP\r\nPIPELINING\r\nRESP-CODES\r\n{(OfferUidl ? "UIDL\r\n" : string.Empty)}{ExtraCapabilities}.", cancellationToken);
                    break;
                case "USER":
                    await SendAsync(stream, "+OK", cancellationToken);
                    break;
                case "PASS" when LoginRefusals.TryDequeue(out var refusal):
                    await SendAsync(stream, refusal, cancellationToken);
                    break;
                case "PASS":
                    loggedIn = argument == Password;
                    await SendAsync(stream, loggedIn ? "+OK logged in" : "-ERR [AUTH] Authentication failed.", cancellationToken);
                    break;
                case "STAT" when loggedIn:
                    var live = Enumerable.Range(1, messages.Count).Where(Valid).ToList();
                    await SendAsync(stream, $"+OK {live.Count} {live.Sum(m => messages[m - 1].Content.Length)}", cancellationToken);
                    break;
                case "LIST" when loggedIn:
                    await SendAsync(stream, "+OK\r\n" + string.Concat(Enumerable.Range(1, messages.Count).Where(Valid)
                        .Select(m => $"{m} {messages[m - 1].Content.Length}\r\n")) + ".", cancellationToken);
                    break;
                case "UIDL" when loggedIn && OfferUidl:
                    await SendAsync(stream, "+OK\r\n" + string.Concat(Enumerable.Range(1, messages.Count).Where(Valid)
                        .Select(m => $"{m} {messages[m - 1].Uidl}\r\n")) + ".", cancellationToken);
                    break;
                case "RETR" when loggedIn && Valid(Msn()):
                    Retrievals++;
                    await SendAsync(stream, "+OK\r\n" + Stuff(messages[Msn() - 1].Content) + ".", cancellationToken);
                    break;
                case "TOP" when loggedIn && Valid(Msn()):
                    var text = Encoding.UTF8.GetString(messages[Msn() - 1].Content);
                    var header = text[..(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)];
                    await SendAsync(stream, "+OK\r\n" + Stuff(Encoding.UTF8.GetBytes(header)) + ".", cancellationToken);
                    break;
                case "DELE" when loggedIn && Valid(Msn()):
                    deleted.Add(Msn());
                    await SendAsync(stream, "+OK marked", cancellationToken);
                    break;
                case "RSET" when loggedIn:
                    deleted.Clear();
                    await SendAsync(stream, "+OK", cancellationToken);
                    break;
                case "NOOP":
                    await SendAsync(stream, "+OK", cancellationToken);
                    break;
                case "QUIT":
                    Mailbox.Remove(deleted.Select(m => messages[m - 1].Uidl));
                    await SendAsync(stream, "+OK bye", cancellationToken);
                    return;
                default:
                    await SendAsync(stream, "-ERR no such message or command", cancellationToken);
                    break;
            }
        }
    }

    private static string Stuff(byte[] content)
    {
        var text = Encoding.UTF8.GetString(content);
        var lines = text.Split("\r\n");
        var body = string.Concat(lines.Take(lines.Length - 1).Select(l => (l.StartsWith('.') ? "." + l : l) + "\r\n"));
        return body;
    }

    private static async Task SendAsync(NetworkStream stream, string text, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text + "\r\n"), cancellationToken);
    }
}
