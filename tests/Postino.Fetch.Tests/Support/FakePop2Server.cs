using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Postino.Protocols.Pop2;

namespace Postino.Fetch.Tests.Support;

/// <summary>
/// A small RFC 937 server for fetcher tests: HELO, FOLD, READ, RETR (exactly the announced octets), ACKS, ACKD,
/// NACK, QUIT; ACKD deletions apply only at QUIT, and any error closes the connection, as POP2 servers do.
/// </summary>
internal sealed class FakePop2Server : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakePop2Server(FakeMailbox mailbox, string user = "alice", string password = "secret")
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

    public List<string> Folds { get; } = [];

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
        var current = 1;
        await SendAsync(stream, "+ POP2 localhost fake server ready", cancellationToken);
        long Length(int msn) => msn >= 1 && msn <= messages.Count && !deleted.Contains(msn) ? messages[msn - 1].Content.Length : 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            var parts = line.Split(' ', 3);
            switch (parts[0].ToUpperInvariant())
            {
                case "HELO" when parts.Length == 3 && Pop2Escapes.Unescape(parts[1]) == User && Pop2Escapes.Unescape(parts[2]) == Password:
                    await SendAsync(stream, $"#{messages.Count} messages", cancellationToken);
                    break;
                case "HELO":
                    await SendAsync(stream, "- Bad login", cancellationToken);
                    return;
                case "FOLD":
                    Folds.Add(parts.Length > 1 ? parts[1] : string.Empty);
                    current = 1;
                    await SendAsync(stream, $"#{messages.Count} messages", cancellationToken);
                    break;
                case "READ":
                    if (parts.Length > 1)
                    {
                        current = int.Parse(parts[1], CultureInfo.InvariantCulture);
                    }

                    await SendAsync(stream, $"={Length(current)} characters", cancellationToken);
                    break;
                case "RETR" when Length(current) > 0:
                    Retrievals++;
                    await stream.WriteAsync(messages[current - 1].Content, cancellationToken);
                    break;
                case "ACKS":
                    current++;
                    await SendAsync(stream, $"={Length(current)}", cancellationToken);
                    break;
                case "ACKD":
                    deleted.Add(current);
                    current++;
                    await SendAsync(stream, $"={Length(current)}", cancellationToken);
                    break;
                case "NACK":
                    await SendAsync(stream, $"={Length(current)}", cancellationToken);
                    break;
                case "QUIT":
                    Mailbox.Remove(deleted.Select(m => messages[m - 1].Uidl));
                    await SendAsync(stream, "+ Sayonara", cancellationToken);
                    return;
                default:
                    await SendAsync(stream, "- Bogus or out of sequence command", cancellationToken);
                    return;
            }
        }
    }

    private static async Task SendAsync(NetworkStream stream, string text, CancellationToken cancellationToken) =>
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text + "\r\n"), cancellationToken);
}
