using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postino.Bench;

/// <summary>
/// Password guessing as an attacker runs it: several connections from each of several source addresses (127.0.0.2,
/// 127.0.0.3, ... so the server sees distinct clients) send USER/PASS with wrong passwords for the given time,
/// reconnecting when the server closes. Prints the answered guesses per address per second and, with --pid, the
/// server's peak resident memory (VmHWM from /proc): the figures behind Limits:LoginPenalty* and the Argon2id bound.
/// </summary>
internal static class Pop3LoginStormCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Required = true, Description = "POP3 port on 127.0.0.1" };
        var user = new Option<string>("--user") { Required = true, Description = "user name to guess for" };
        var addresses = new Option<int>("--addresses") { DefaultValueFactory = _ => 4, Description = "source addresses (127.0.0.2 upwards)" };
        var connections = new Option<int>("--connections") { DefaultValueFactory = _ => 5, Description = "parallel connections per address" };
        var seconds = new Option<int>("--seconds") { DefaultValueFactory = _ => 20, Description = "how long to guess" };
        var pid = new Option<int?>("--pid") { Description = "the server's process id, to report its peak memory" };
        var command = new Command("pop3-login-storm", "Parallel wrong logins from several addresses; answered guesses per address and server peak memory.")
        {
            port, user, addresses, connections, seconds, pid,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var serverPid = parseResult.GetValue(pid);
            var before = serverPid is { } p0 ? Memory(p0) : null;
            var duration = TimeSpan.FromSeconds(parseResult.GetValue(seconds));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stop.CancelAfter(duration);
            var addressCount = parseResult.GetValue(addresses);
            var answered = new long[addressCount];
            var clock = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, addressCount)
                .SelectMany(a => Enumerable.Range(0, parseResult.GetValue(connections)).Select(c => GuessAsync(
                    IPAddress.Parse($"127.0.0.{a + 2}"), parseResult.GetValue(port), parseResult.GetValue(user)!, $"wrong-{a}-{c}-", () => Interlocked.Increment(ref answered[a]), stop.Token)))
                .ToList();
            await Task.WhenAll(workers);
            var elapsed = clock.Elapsed.TotalSeconds;
            var total = answered.Sum();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"answered guesses: {total} in {elapsed:F1} s from {addressCount} addresses x {parseResult.GetValue(connections)} connections"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"per address: {total / (double)addressCount:F1} guesses, {total / (double)addressCount / elapsed:F2} guesses/s"));
            if (serverPid is { } p)
            {
                Console.WriteLine($"server memory before: {before}; after: {Memory(p)}");
            }
        });
        return command;
    }

    private static async Task GuessAsync(IPAddress from, int port, string user, string prefix, Action onAnswer, CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                await using var stream = new NetworkStream(socket);
                using var reader = new StreamReader(stream, Encoding.ASCII);
                if ((await reader.ReadLineAsync(cancellationToken))?.StartsWith("+OK", StringComparison.Ordinal) != true)
                {
                    continue;
                }

                while (!cancellationToken.IsCancellationRequested)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"USER {user}\r\nPASS {prefix}{attempt++}\r\n"), cancellationToken);
                    var userReply = await reader.ReadLineAsync(cancellationToken);
                    var passReply = await reader.ReadLineAsync(cancellationToken);
                    if (userReply is null || passReply is null)
                    {
                        break;
                    }

                    onAnswer();
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // Closed by the server (bad-command limit) or the run is over: reconnect or stop.
            }
        }
    }

    private static string Memory(int pid)
    {
        var lines = File.ReadAllLines($"/proc/{pid}/status");
        string Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))?[(name.Length + 1)..].Trim() ?? "?";
        return $"VmHWM {Field("VmHWM")}, VmRSS {Field("VmRSS")}";
    }
}
