using System.Globalization;
using Postino.Fetch.Fetching;

namespace Postino.Cli.Fetch;

/// <summary>Progress as plain log lines, for cron and pipes (no terminal).</summary>
internal sealed class LogLineProgress(TextWriter output, bool verbose) : IFetchProgress
{
    public void Started(FetchAccount account, int messages, long octets) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{account.Name}: {messages} new message(s){(octets > 0 ? $", {octets} octets" : string.Empty)} on the server"));

    public void MessageStored(FetchAccount account, long octets)
    {
        if (verbose)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{account.Name}: stored a message of {octets} octets"));
        }
    }

    public void Notice(FetchAccount account, string message) => output.WriteLine($"{account.Name}: {message}");
}
