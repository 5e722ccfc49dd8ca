using System.CommandLine;
using System.Diagnostics;

namespace Postino.Bench;

/// <summary>
/// N clients loop connect, USER/PASS, STAT, UIDL, RETR of each message, QUIT for T seconds, against any POP3 server.
/// Prints sessions/s, MB/s, p50/p99 session time and errors. Read-only: it never sends DELE.
/// </summary>
internal static class Pop3LoadCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { DefaultValueFactory = _ => "127.0.0.1", Description = "server address" };
        var port = new Option<int>("--port") { Required = true, Description = "POP3 port" };
        var user = new Option<string>("--user")
        {
            Required = true,
            Description = "user name; %d is replaced by the client number (1..N), so that each client has its own mailbox (POP3 allows one session per mailbox)",
        };
        var password = new Option<string>("--password") { Required = true, Description = "password" };
        var clients = new Option<int>("--clients") { DefaultValueFactory = _ => 8, Description = "concurrent clients" };
        var seconds = new Option<int>("--seconds") { DefaultValueFactory = _ => 10, Description = "duration" };
        var label = new Option<string>("--label") { DefaultValueFactory = _ => "server", Description = "name printed with the figures" };
        var tls = new Option<bool>("--tls") { Description = "implicit TLS 1.3 (POP3S port)" };
        var command = new Command("pop3-load", "POP3 session load: sessions/s, MB/s, p50/p99 session time, errors.")
        {
            host, port, user, password, clients, seconds, label, tls,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = new LoadSettings(
                parseResult.GetValue(host)!,
                parseResult.GetValue(port),
                parseResult.GetValue(user)!,
                parseResult.GetValue(password)!,
                parseResult.GetValue(clients),
                TimeSpan.FromSeconds(parseResult.GetValue(seconds)),
                parseResult.GetValue(tls));
            var result = await RunAsync(settings, cancellationToken);
            Console.WriteLine(result.Format(parseResult.GetValue(label)!));
            return result.Sessions > 0 ? 0 : 1;
        });
        return command;
    }

    public static async Task<LoadResult> RunAsync(LoadSettings settings, CancellationToken cancellationToken)
    {
        var stats = new LoadStats();
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Duration);
        var workers = Enumerable.Range(1, settings.Clients)
            .Select(client => settings with { User = settings.User.Replace("%d", client.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) })
            .Select(own => Task.Run(() => WorkerAsync(own, stats, deadline.Token), CancellationToken.None));
        await Task.WhenAll(workers);
        return stats.Summarise(clock.Elapsed);
    }

    private static async Task WorkerAsync(LoadSettings settings, LoadStats stats, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await OneSessionAsync(settings, stats, stop);
                stats.AddSession(Stopwatch.GetElapsedTime(started), 0);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException)
            {
                stats.AddError(exception.Message);
            }
        }
    }

    /// <summary>One session; the octets of each RETR are counted as it completes, so that a run cut off by its deadline
    /// in the middle of a long session still counts what was transferred (the server's CPU for it is counted too).</summary>
    private static async Task OneSessionAsync(LoadSettings settings, LoadStats stats, CancellationToken cancellationToken)
    {
        await using var client = await Pop3BenchClient.ConnectAsync(settings.Host, settings.Port, cancellationToken, settings.Tls);
        await client.CommandAsync("USER " + settings.User, cancellationToken);
        await client.CommandAsync("PASS " + settings.Password, cancellationToken);
        var stat = await client.CommandAsync("STAT", cancellationToken);
        var count = int.Parse(stat.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        await client.MultiLineAsync("UIDL", cancellationToken);
        for (var msn = 1; msn <= count; msn++)
        {
            stats.AddBytes(await client.MultiLineAsync("RETR " + msn.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken));
        }

        await client.CommandAsync("QUIT", cancellationToken);
    }
}
