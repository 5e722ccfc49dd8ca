using Postino.Fetch.Fetching;
using Spectre.Console;

namespace Postino.Cli.Fetch;

/// <summary>Runs the accounts once, or forever with <c>--daemon</c>, and turns the results into an exit code.</summary>
internal sealed class FetchDriver(FetchSettings settings, TextWriter output, TextWriter error, bool terminal, TimeProvider timeProvider)
{
    public const int DefaultIntervalSeconds = 300;

    public async Task<int> RunAsync(IReadOnlyList<FetchAccount> accounts, int? configInterval, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(settings.IntervalSeconds ?? configInterval ?? DefaultIntervalSeconds);
        while (true)
        {
            var results = await RunOnceAsync(accounts, cancellationToken);
            foreach (var result in results)
            {
                output.WriteLine(FetchSummary.Format(result));
            }

            var code = results.Select(r => FetchExitCodes.For(r.Outcome)).DefaultIfEmpty(FetchExitCodes.Success).Max();
            if (!settings.Daemon)
            {
                return code;
            }

            // The server's LOGIN-DELAY wins over a shorter --interval.
            var wait = results.Select(r => r.RetryAfter ?? TimeSpan.Zero).Append(interval).Max();
            try
            {
                await Task.Delay(wait, timeProvider, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return code;
            }
        }
    }

    private async Task<List<FetchResult>> RunOnceAsync(IReadOnlyList<FetchAccount> accounts, CancellationToken cancellationToken)
    {
        var options = new FetchOptions
        {
            TimeProvider = timeProvider,
            Trace = settings.Verbose ? new ConsoleTrace(error) : null,
        };
        var results = new List<FetchResult>();
        if (terminal && !settings.Verbose)
        {
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                .StartAsync(async context =>
                {
                    var progress = new TerminalProgress(context);
                    var fetcher = new Fetcher(options with { Progress = progress });
                    foreach (var account in accounts)
                    {
                        results.Add(await fetcher.FetchAsync(account, cancellationToken));
                    }

                    progress.Finish();
                });
        }
        else
        {
            var fetcher = new Fetcher(options with { Progress = new LogLineProgress(output, settings.Verbose) });
            foreach (var account in accounts)
            {
                results.Add(await fetcher.FetchAsync(account, cancellationToken));
            }
        }

        return results;
    }
}
