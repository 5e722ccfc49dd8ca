using System.Globalization;
using Postino.Fetch.Destinations;
using Postino.Fetch.Fetching;

namespace Postino.Fetch.CrashHost;

/// <summary>
/// Usage: CrashHost PORT USER PASSWORD MAILDIR STATE MODE POINT N. Fetches from 127.0.0.1:PORT; at the N-th time the
/// fetcher reaches POINT it prints "AT POINT" and hangs, so the test can kill -9 it exactly there.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 8)
        {
            await Console.Error.WriteLineAsync("usage: CrashHost PORT USER PASSWORD MAILDIR STATE MODE POINT N");
            return 2;
        }

        var point = Enum.Parse<FetchPoint>(args[6]);
        var stopAt = int.Parse(args[7], CultureInfo.InvariantCulture);
        var reached = 0;
        var account = new FetchAccount
        {
            Name = "crash",
            Host = "127.0.0.1",
            Port = int.Parse(args[0], CultureInfo.InvariantCulture),
            User = args[1],
            Password = _ => Task.FromResult(args[2]),
            Destination = new MaildirDestination(args[3]),
            StatePath = args[4],
            Mode = Enum.Parse<FetchMode>(args[5]),
        };
        var options = new FetchOptions
        {
            RetryDelays = [],
            FaultInjection = async (at, ct) =>
            {
                if (at == point && ++reached == stopAt)
                {
                    Console.Out.WriteLine($"AT {at}");
                    Console.Out.Flush();
                    await Task.Delay(Timeout.Infinite, ct);
                }
            },
        };
        var result = await new Fetcher(options).FetchAsync(account, CancellationToken.None);
        Console.Out.WriteLine($"DONE {result.Outcome}");
        return 0;
    }
}
