using Postino.Fetch.Destinations;
using Postino.Fetch.Protocol;
using Postino.Fetch.State;

namespace Postino.Fetch.Fetching;

/// <summary>
/// Fetches accounts: one session per account, retried with back-off on <c>[IN-USE]</c>, <c>[SYS/TEMP]</c> and
/// network failures; <c>[AUTH]</c>, <c>[SYS/PERM]</c> and TLS failures stop that account with a clear message.
/// </summary>
public sealed class Fetcher(FetchOptions options)
{
    /// <summary>
    /// Reconnections allowed in one run after a message overran its announced size; each passes over one more
    /// message, and the cap keeps a server that overruns every message from holding the run for ever.
    /// </summary>
    public const int MaxOverrunReconnections = 10;

    public FetchOptions Options { get; } = options;

    public async Task<FetchResult> FetchAsync(FetchAccount account, CancellationToken cancellationToken)
    {
        FetchStateFile stateFile;
        try
        {
            stateFile = await FetchStateFile.OpenAsync(account.StatePath, cancellationToken);
        }
        catch (FetchStateException exception)
        {
            return new FetchResult { Account = account.Name, Outcome = FetchOutcome.StateFailure, Message = exception.Message };
        }

        await using (stateFile)
        {
            var tally = new RunTally();
            var saver = new MessageSaver(stateFile, account, Options);
            var reconnections = 0;
            for (var attempt = 0; ; attempt++)
            {
                tally.ResetPerConnection();
                var overruns = tally.Overruns.Count;
                var failure = await TryRunAsync(account, saver, tally, cancellationToken);
                if (failure is null)
                {
                    return tally.Refused.Count == 0
                        ? Result(account, tally, FetchOutcome.Success, string.Empty)
                        : Result(account, tally, FetchOutcome.PermanentFailure,
                            $"{account.Host}: {tally.Refused.Count} message(s) not stored: the server sent more than it announced");
                }

                if (tally.Overruns.Count > overruns && reconnections < MaxOverrunReconnections)
                {
                    reconnections++;
                    attempt--;
                    Options.Progress?.Notice(account, $"{failure.Value.Item2}; reconnecting without that message");
                    continue;
                }

                var (outcome, message) = failure.Value;
                if (outcome != FetchOutcome.TemporaryFailure || attempt >= Options.RetryDelays.Count)
                {
                    var result = Result(account, tally, outcome, message);
                    return outcome == FetchOutcome.LoginDelay
                        ? result with { RetryAfter = tally.LoginDelay ?? TimeSpan.FromMinutes(5) }
                        : result;
                }

                var delay = Options.RetryDelays[attempt];
                Options.Progress?.Notice(account, $"{message}; retrying in {delay.TotalSeconds:0} s");
                await Task.Delay(delay, Options.TimeProvider, cancellationToken);
            }
        }
    }

    private async Task<(FetchOutcome, string)?> TryRunAsync(FetchAccount account, MessageSaver saver, RunTally tally,
        CancellationToken cancellationToken)
    {
        try
        {
            if (account.Protocol == MailProtocol.Pop2)
            {
                await new Pop2Run(account, Options, saver, tally).RunAsync(cancellationToken);
            }
            else
            {
                await new Pop3Run(account, Options, saver, tally).RunAsync(cancellationToken);
            }

            return null;
        }
        catch (MailCommandException exception)
        {
            return (Classify(exception), $"{account.Host}: {exception.Message}");
        }
        catch (MailTlsException exception)
        {
            return (FetchOutcome.TlsFailure, $"{account.Host}: {exception.Message}");
        }
        catch (MailProtocolException exception)
        {
            return (FetchOutcome.TemporaryFailure, $"{account.Host}: {exception.Message}");
        }
        catch (PasswordUnavailableException exception)
        {
            return (FetchOutcome.AuthenticationFailed, exception.Message);
        }
        catch (MessageDestinationException exception)
        {
            return (FetchOutcome.DestinationFailure, $"{account.Destination.Description}: {exception.Message}");
        }
        catch (IOException exception)
        {
            // Local file trouble (disk full, permissions) at the destination or the state file.
            return (FetchOutcome.DestinationFailure, exception.Message);
        }
        catch (UnauthorizedAccessException exception)
        {
            return (FetchOutcome.DestinationFailure, exception.Message);
        }
    }

    private static FetchOutcome Classify(MailCommandException exception) => exception.Code switch
    {
        ResponseCode.InUse or ResponseCode.SysTemp => FetchOutcome.TemporaryFailure,
        ResponseCode.LoginDelay => FetchOutcome.LoginDelay,
        ResponseCode.Auth => FetchOutcome.AuthenticationFailed,
        ResponseCode.SysPerm => FetchOutcome.PermanentFailure,
        // A refused login without a code is most likely bad credentials; anything else is worth another try later.
        _ when exception.Command is "PASS" or "APOP" or "AUTH" or "USER" or "HELO" => FetchOutcome.AuthenticationFailed,
        _ => FetchOutcome.TemporaryFailure,
    };

    private static FetchResult Result(FetchAccount account, RunTally tally, FetchOutcome outcome, string message) => new()
    {
        Account = account.Name,
        Outcome = outcome,
        Message = message,
        Downloaded = tally.Downloaded,
        Octets = tally.Octets,
        Deleted = tally.Deleted,
        AlreadyDownloaded = tally.AlreadyDownloaded,
        LeftForLater = tally.LeftForLater,
        Skipped = tally.Skipped.ToList(),
        Refused = tally.Refused.ToList(),
        RetryAfter = tally.LoginDelay,
    };
}
