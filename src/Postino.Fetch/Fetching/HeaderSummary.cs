using System.Text;

namespace Postino.Fetch.Fetching;

/// <summary>A one-line "From / Subject" summary of a message header, for reports of skipped messages.</summary>
internal static class HeaderSummary
{
    public const int MaxHeaderOctets = 64 * 1024;

    public static string Summarize(ReadOnlySpan<byte> header)
    {
        string? from = null;
        string? subject = null;
        foreach (var line in Encoding.UTF8.GetString(header).Split('\n'))
        {
            var text = line.TrimEnd('\r');
            if (text.Length == 0)
            {
                break;
            }

            if (from is null && text.StartsWith("From:", StringComparison.OrdinalIgnoreCase))
            {
                from = text[5..].Trim();
            }
            else if (subject is null && text.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase))
            {
                subject = text[8..].Trim();
            }
        }

        return $"from {from ?? "(unknown)"}, subject \"{subject ?? string.Empty}\"";
    }
}
