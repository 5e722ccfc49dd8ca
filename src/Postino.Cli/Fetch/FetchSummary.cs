using System.Globalization;
using System.Text;
using Postino.Fetch.Fetching;

namespace Postino.Cli.Fetch;

/// <summary>The end-of-run summary, one paragraph per account.</summary>
internal static class FetchSummary
{
    public static string Format(FetchResult result)
    {
        var text = new StringBuilder();
        var status = result.Outcome == FetchOutcome.Success ? "ok" : $"FAILED ({Describe(result.Outcome)})";
        text.Append(CultureInfo.InvariantCulture,
            $"{result.Account}: {status}: {result.Downloaded} downloaded ({result.Octets} octets), {result.Deleted} deleted, {result.AlreadyDownloaded} already downloaded");
        if (result.LeftForLater > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", {result.LeftForLater} left for the next run (--limit)");
        }

        if (result.Skipped.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", {result.Skipped.Count} skipped (--max-size)");
        }

        foreach (var skipped in result.Skipped)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  skipped message {skipped.Msn} ({skipped.Size} octets): {skipped.Summary}");
        }

        foreach (var refused in result.Refused)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  message {refused.Msn} not stored: {refused.Summary}");
        }

        if (result.Message.Length > 0)
        {
            text.Append("\n  ").Append(result.Message);
        }

        if (result.Outcome == FetchOutcome.LoginDelay && result.RetryAfter is { } delay)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  the server asks to wait {delay.TotalSeconds:0} s between logins");
        }

        return text.ToString();
    }

    private static string Describe(FetchOutcome outcome) => outcome switch
    {
        FetchOutcome.TemporaryFailure => "temporary, will work later",
        FetchOutcome.LoginDelay => "login delay",
        FetchOutcome.AuthenticationFailed => "login refused",
        FetchOutcome.PermanentFailure => "permanent server error",
        FetchOutcome.TlsFailure => "TLS",
        FetchOutcome.DestinationFailure => "destination",
        FetchOutcome.StateFailure => "state file",
        _ => outcome.ToString(),
    };
}
