using System.Buffers;
using System.Text;
using Postino.Protocols.Text;

namespace Postino.Protocols.Smtp;

/// <summary>What <see cref="SmtpCommandReader.TryRead"/> found.</summary>
public enum SmtpReadStatus
{
    /// <summary>A whole command line was read.</summary>
    Command,

    /// <summary>No whole line yet: read more bytes and call again.</summary>
    NeedMoreData,

    /// <summary>The line was longer than the limit; it is being skipped so the session stays in step (500 5.5.2).</summary>
    LineTooLong,
}

/// <summary>
/// Reads SMTP/LMTP command lines from a byte stream that arrives in chunks of any size. Never throws on wire input.
/// </summary>
public sealed class SmtpCommandReader(int maxLineLength = SmtpCommandReader.DefaultMaxLineLength)
{
    /// <summary>RFC 5321 4.5.3.1.4: a command line is at most 512 octets including CRLF.</summary>
    public const int DefaultMaxLineLength = 512;

    private static readonly Dictionary<string, SmtpVerb> Verbs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HELO"] = SmtpVerb.Helo,
        ["EHLO"] = SmtpVerb.Ehlo,
        ["LHLO"] = SmtpVerb.Lhlo,
        ["MAIL"] = SmtpVerb.Mail,
        ["RCPT"] = SmtpVerb.Rcpt,
        ["DATA"] = SmtpVerb.Data,
        ["RSET"] = SmtpVerb.Rset,
        ["NOOP"] = SmtpVerb.Noop,
        ["QUIT"] = SmtpVerb.Quit,
        ["VRFY"] = SmtpVerb.Vrfy,
        ["HELP"] = SmtpVerb.Help,
        ["STARTTLS"] = SmtpVerb.StartTls,
    };

    private readonly LineReader _lines = new(maxLineLength);

    /// <summary>Reads one command from the start of <paramref name="buffer"/> and slices what it consumed off it.</summary>
    public SmtpReadStatus TryRead(ref ReadOnlySequence<byte> buffer, out SmtpCommand command)
    {
        command = default;
        switch (_lines.TryReadLine(ref buffer, out var line))
        {
            case LineReadStatus.NeedMoreData:
                return SmtpReadStatus.NeedMoreData;
            case LineReadStatus.TooLong:
                return SmtpReadStatus.LineTooLong;
        }

        command = Parse(line);
        return SmtpReadStatus.Command;
    }

    /// <summary>Splits one line (without its line end) into verb and argument.</summary>
    public static SmtpCommand Parse(in ReadOnlySequence<byte> line)
    {
        // SMTPUTF8 allows UTF-8 in addresses; invalid bytes become U+FFFD and fail address parsing later.
        var text = Encoding.UTF8.GetString(line);
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var name = (space < 0 ? text : text[..space]).ToUpperInvariant();
        var argument = space < 0 ? string.Empty : text[(space + 1)..].Trim(' ');
        var verb = Verbs.GetValueOrDefault(name, SmtpVerb.Unknown);
        return new SmtpCommand(verb, name, argument);
    }
}
