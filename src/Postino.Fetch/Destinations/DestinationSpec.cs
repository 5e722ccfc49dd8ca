using System.Globalization;
using Postino.Fetch.Protocol;

namespace Postino.Fetch.Destinations;

/// <summary>
/// Parses the <c>--to</c> forms: <c>maildir:DIR</c>, <c>mbox:FILE</c>, <c>mda:COMMAND</c>,
/// <c>lmtp://HOST:PORT[/RECIPIENT]</c> (recipient defaults to the account's user), or a bare directory (Maildir).
/// </summary>
public static class DestinationSpec
{
    /// <summary>Builds the destination, or returns an error message for a malformed spec (never throws on input).</summary>
    public static IMessageDestination? TryCreate(string spec, string defaultRecipient, TimeProvider timeProvider, out string? error)
    {
        error = null;
        if (spec.StartsWith("maildir:", StringComparison.OrdinalIgnoreCase))
        {
            return NonEmpty(spec[8..], "maildir:DIR", out error) is { } dir ? new MaildirDestination(ExpandHome(dir), timeProvider) : null;
        }

        if (spec.StartsWith("mbox:", StringComparison.OrdinalIgnoreCase))
        {
            return NonEmpty(spec[5..], "mbox:FILE", out error) is { } file ? new MboxDestination(ExpandHome(file), timeProvider) : null;
        }

        if (spec.StartsWith("mda:", StringComparison.OrdinalIgnoreCase))
        {
            return NonEmpty(spec[4..], "mda:COMMAND", out error) is { } command ? new MdaDestination(command) : null;
        }

        if (spec.StartsWith("lmtp://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(spec, UriKind.Absolute, out var uri) || uri.Port <= 0 || string.IsNullOrEmpty(uri.Host))
            {
                error = $"Malformed LMTP destination \"{spec}\"; expected lmtp://HOST:PORT[/RECIPIENT].";
                return null;
            }

            var recipient = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
            return new LmtpDestination(uri.Host, uri.Port, recipient.Length > 0 ? recipient : defaultRecipient,
                new MailConnectionOptions { TimeProvider = timeProvider });
        }

        if (spec.Contains(':', StringComparison.Ordinal) && !spec.StartsWith('/') && !spec.StartsWith('.') && !spec.StartsWith('~'))
        {
            error = string.Create(CultureInfo.InvariantCulture,
                $"Unknown destination \"{spec}\"; use maildir:DIR, mbox:FILE, mda:COMMAND or lmtp://HOST:PORT.");
            return null;
        }

        return new MaildirDestination(ExpandHome(spec), timeProvider);
    }

    private static string? NonEmpty(string value, string form, out string? error)
    {
        error = value.Length == 0 ? $"Empty destination; expected {form}." : null;
        return value.Length == 0 ? null : value;
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;
}
