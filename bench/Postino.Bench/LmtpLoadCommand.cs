using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Postino.Bench;

/// <summary>
/// LMTP deliveries per second: for each (senders, message size) pair, N senders each keep one connection and deliver
/// messages back to back for T seconds. A delivery counts when the server answered 250 after the final dot, which
/// for Postino means the message was fsynced. Works against any LMTP server (Postino, Dovecot).
/// </summary>
internal static class LmtpLoadCommand
{
    public static Command Create()
    {
        var endpoint = new Option<string>("--endpoint") { Required = true, Description = "HOST:PORT or unix:PATH of the LMTP server" };
        var recipient = new Option<string>("--rcpt") { Required = true, Description = "recipient address (an existing user); several, comma-separated: one transaction to all of them, a delivery counted per transaction" };
        var senders = new Option<string>("--senders") { DefaultValueFactory = _ => "1,8", Description = "concurrent senders, comma-separated list" };
        var sizes = new Option<string>("--sizes") { DefaultValueFactory = _ => "4096,1048576", Description = "message sizes in octets, comma-separated list" };
        var seconds = new Option<double>("--seconds") { DefaultValueFactory = _ => 5, Description = "duration of each run" };
        var label = new Option<string>("--label") { DefaultValueFactory = _ => "lmtp", Description = "name printed with the figures" };
        var command = new Command("lmtp-load", "LMTP deliveries/s and MB/s with p50/p99 latency, for 1..N senders and several message sizes.")
        {
            endpoint, recipient, senders, sizes, seconds, label,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var ok = true;
            foreach (var size in ParseList(parseResult.GetValue(sizes)!))
            {
                foreach (var count in ParseList(parseResult.GetValue(senders)!))
                {
                    var settings = new LmtpLoadSettings(
                        parseResult.GetValue(endpoint)!,
                        parseResult.GetValue(recipient)!,
                        (int)count,
                        (int)size,
                        TimeSpan.FromSeconds(parseResult.GetValue(seconds)));
                    var result = await RunAsync(settings, cancellationToken);
                    Console.WriteLine(Format(parseResult.GetValue(label)!, settings, result));
                    ok &= result.Sessions > 0;
                }
            }

            return ok ? 0 : 1;
        });
        return command;
    }

    /// <summary>Entry point for the integrator's Program: <c>postino-bench lmtp-load ...</c>.</summary>
    public static Task<int> RunAsync(string[] args) => Create().Parse(args).InvokeAsync();

    public static async Task<LoadResult> RunAsync(LmtpLoadSettings settings, CancellationToken cancellationToken)
    {
        var recipients = settings.Recipient.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var rcpts = string.Concat(recipients.Select(r => $"RCPT TO:<{r}>\r\n"));
        var withSize = Encoding.ASCII.GetBytes($"MAIL FROM:<bench@bench.test> SIZE={settings.MessageSize}\r\n{rcpts}DATA\r\n");
        var withoutSize = Encoding.ASCII.GetBytes($"MAIL FROM:<bench@bench.test>\r\n{rcpts}DATA\r\n");
        var message = BuildMessage(settings.MessageSize);
        var stats = new LoadStats();
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Duration);
        var workers = Enumerable.Range(0, settings.Senders)
            .Select(_ => Task.Run(() => SenderAsync(settings, recipients.Length, withSize, withoutSize, message, stats, deadline.Token), CancellationToken.None));
        await Task.WhenAll(workers);
        return stats.Summarise(clock.Elapsed);
    }

    private static async Task SenderAsync(LmtpLoadSettings settings, int recipients, byte[] withSize, byte[] withoutSize, byte[] message, LoadStats stats, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var client = await LmtpBenchClient.ConnectAsync(settings.Endpoint, stop);
                var envelope = client.SupportsSize ? withSize : withoutSize;
                while (!stop.IsCancellationRequested)
                {
                    var started = Stopwatch.GetTimestamp();

                    // Not cancelled mid-message: a cut-off transfer would only measure the abort.
                    await client.SendAsync(envelope, recipients, message, CancellationToken.None);
                    stats.AddSession(Stopwatch.GetElapsedTime(started), settings.MessageSize);
                }
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

    /// <summary>A plain-text message of exactly <paramref name="size"/> octets (CRLF lines of 78), dot-terminated.</summary>
    private static byte[] BuildMessage(int size)
    {
        var text = new StringBuilder("From: bench@bench.test\r\nTo: user@bench.test\r\nSubject: lmtp bench\r\n\r\n");
        var line = new string('x', 76) + "\r\n";
        while (text.Length + line.Length <= size)
        {
            text.Append(line);
        }

        var remaining = size - text.Length;
        if (remaining >= 2)
        {
            text.Append('y', remaining - 2).Append("\r\n");
        }

        return Encoding.ASCII.GetBytes(text.Append(".\r\n").ToString());
    }

    private static IEnumerable<long> ParseList(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(item => long.Parse(item, CultureInfo.InvariantCulture));

    private static string Format(string label, LmtpLoadSettings settings, LoadResult result) => string.Create(
        CultureInfo.InvariantCulture,
        $"{label} {settings.Senders} sender(s) x {settings.MessageSize} B: {result.SessionsPerSecond:F1} deliveries/s, {result.MegabytesPerSecond:F2} MB/s, p50 {result.P50.TotalMilliseconds:F2} ms, p99 {result.P99.TotalMilliseconds:F2} ms, {result.Sessions} delivered, {result.Errors} errors{(result.FirstError is null ? "" : $" (first: {result.FirstError})")}");
}

internal sealed record LmtpLoadSettings(string Endpoint, string Recipient, int Senders, int MessageSize, TimeSpan Duration);
