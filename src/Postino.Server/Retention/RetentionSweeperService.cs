using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Postino.Storage.Retention;

namespace Postino.Server.Retention;

/// <summary>
/// Runs the retention sweeper over every user's inbox at a fixed interval, on the injected clock. A failed sweep is
/// logged and the next one runs as planned; mailboxes held by a session are skipped by the sweeper and retried at the
/// next interval.
/// </summary>
public sealed class RetentionSweeperService(
    RetentionSweeper sweeper,
    IUserLister users,
    RetentionSweepOptions options,
    TimeProvider? time = null,
    ILogger<RetentionSweeperService>? logger = null,
    ISweepLeadership? leadership = null) : BackgroundService
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private PeriodicTimer? _timer;

    /// <summary>Raised after each sweep with its report (tests wait on it instead of sleeping).</summary>
    internal event Action<RetentionSweepReport>? SweepCompleted;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The timer starts counting at the server's start, not whenever the background thread gets to run.
        _timer = options.Enabled ? new PeriodicTimer(options.Interval, _time) : null;
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is not { } timer)
        {
            return;
        }

        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SweepOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server is stopping.
        }
    }

    private async Task SweepOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Several nodes on one store: the one that holds the lead sweeps, the others skip this round.
            await using var lead = leadership is null ? null : await leadership.TryLeadAsync(cancellationToken);
            if (leadership is not null && lead is null)
            {
                _logger.LogDebug("Retention sweep skipped: another node is sweeping");
                return;
            }

            var names = await users.ListUserNamesAsync(cancellationToken);
            var report = await sweeper.SweepAsync(names, dryRun: false, cancellationToken);
            _logger.LogInformation(
                "Retention sweep: {Expired} message(s) expired in {Swept} mailbox(es); {InUse} skipped in use, {Failed} failed",
                report.Expired.Count,
                report.MailboxesSwept,
                report.SkippedInUse.Count,
                report.Failed.Count);
            SweepCompleted?.Invoke(report);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _logger.LogError(exception, "Retention sweep failed; the next one runs in {Interval}", options.Interval);
        }
    }
}
