using System.CommandLine;
using System.Globalization;

namespace Postino.Bench;

/// <summary>
/// Opens N POP3 sessions, each logged in to its own mailbox (user%d), and holds them idle: prints "held N refused R"
/// once they are all open, then waits until its standard input closes (the caller measures the server meanwhile) and
/// QUITs them. Shows memory and descriptors per idle session.
/// </summary>
internal static class Pop3HoldCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { DefaultValueFactory = _ => "127.0.0.1", Description = "server address" };
        var port = new Option<int>("--port") { Required = true, Description = "POP3 or POP3S port" };
        var user = new Option<string>("--user") { Required = true, Description = "user name; %d is replaced by the session number (1..N)" };
        var password = new Option<string>("--password") { Required = true, Description = "password" };
        var sessions = new Option<int>("--sessions") { DefaultValueFactory = _ => 1000, Description = "sessions to hold" };
        var tls = new Option<bool>("--tls") { Description = "implicit TLS 1.3 (POP3S port)" };
        var parallel = new Option<int>("--parallel") { DefaultValueFactory = _ => 32, Description = "logins in flight at once" };
        var command = new Command("pop3-hold", "Hold N logged-in idle POP3 sessions until standard input closes.")
        {
            host, port, user, password, sessions, tls, parallel,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var count = parseResult.GetValue(sessions);
            var held = new Pop3BenchClient?[count];
            var refused = 0;
            string? firstError = null;
            await Parallel.ForEachAsync(
                Enumerable.Range(1, count),
                new ParallelOptions { MaxDegreeOfParallelism = parseResult.GetValue(parallel), CancellationToken = cancellationToken },
                async (n, token) =>
                {
                    try
                    {
                        var client = await Pop3BenchClient.ConnectAsync(parseResult.GetValue(host)!, parseResult.GetValue(port), token, parseResult.GetValue(tls));
                        await client.CommandAsync("USER " + parseResult.GetValue(user)!.Replace("%d", n.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), token);
                        await client.CommandAsync("PASS " + parseResult.GetValue(password), token);
                        await client.CommandAsync("STAT", token);
                        held[n - 1] = client;
                    }
                    catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException)
                    {
                        Interlocked.Increment(ref refused);
                        Interlocked.CompareExchange(ref firstError, exception.Message, null);
                    }
                });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"held {held.Count(c => c is not null)} refused {refused}{(firstError is null ? "" : $" (first: {firstError})")}"));
            await Console.In.ReadToEndAsync(cancellationToken);
            foreach (var client in held)
            {
                if (client is not null)
                {
                    await client.DisposeAsync();
                }
            }

            return refused == 0 ? 0 : 1;
        });
        return command;
    }
}
