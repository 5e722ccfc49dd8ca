using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace Postino.Bench;

/// <summary>
/// Login time on a big mailbox: connect to the +OK of PASS, then STAT; run twice (first login builds indexes, the
/// second finds them). Prints both times.
/// </summary>
internal static class Pop3LoginCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { DefaultValueFactory = _ => "127.0.0.1", Description = "server address" };
        var port = new Option<int>("--port") { Required = true, Description = "POP3 port" };
        var user = new Option<string>("--user") { Required = true, Description = "user name" };
        var password = new Option<string>("--password") { Required = true, Description = "password" };
        var label = new Option<string>("--label") { DefaultValueFactory = _ => "server", Description = "name printed with the figures" };
        var logins = new Option<int>("--logins") { DefaultValueFactory = _ => 2, Description = "how many logins to time" };
        var command = new Command("pop3-login", "Time to log in and STAT a (big) mailbox, first and later logins.")
        {
            host, port, user, password, label, logins,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            for (var attempt = 1; attempt <= parseResult.GetValue(logins); attempt++)
            {
                var clock = Stopwatch.StartNew();
                await using var client = await Pop3BenchClient.ConnectAsync(parseResult.GetValue(host)!, parseResult.GetValue(port), cancellationToken);
                await client.CommandAsync("USER " + parseResult.GetValue(user), cancellationToken);
                await client.CommandAsync("PASS " + parseResult.GetValue(password), cancellationToken);
                var loggedIn = clock.Elapsed;
                var stat = await client.CommandAsync("STAT", cancellationToken);
                var total = clock.Elapsed;
                await client.CommandAsync("QUIT", cancellationToken);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{parseResult.GetValue(label)}: login {attempt}: PASS {loggedIn.TotalMilliseconds:F1} ms, PASS+STAT {total.TotalMilliseconds:F1} ms ({stat})"));
            }

            return 0;
        });
        return command;
    }
}
