using System.Buffers;
using System.Text;
using Postino.Protocols.Text;

namespace Postino.Protocols.Pop3;

/// <summary>What <see cref="Pop3CommandParser.TryParse"/> found.</summary>
public enum Pop3ParseStatus
{
    /// <summary>No whole line yet: read more bytes and call again.</summary>
    NeedMoreData,

    /// <summary>A command was parsed.</summary>
    Command,

    /// <summary>A line that is not a command: answer -ERR and go on (the parser is already at the next line).</summary>
    Error,
}

/// <summary>Why a line is not a command.</summary>
public enum Pop3CommandError
{
    None,

    /// <summary>Longer than the line limit (RFC 2449: 255 octets including CRLF).</summary>
    LineTooLong,

    /// <summary>An empty (or all-space) line.</summary>
    EmptyLine,

    /// <summary>The keyword is not 1-<see cref="Pop3CommandParser.MaxVerbLength"/> ASCII letters and digits, starting with a letter.</summary>
    InvalidVerb,
}

/// <summary>
/// Resumable POP3 command parser: feed it whatever bytes arrived and it returns one command (or one error) per call.
/// It never throws on wire input; an over-long line is skipped up to its LF so the session stays in step.
/// </summary>
public sealed class Pop3CommandParser(int maxLineLength = Pop3CommandParser.DefaultMaxLineLength)
{
    /// <summary>RFC 2449's limit on a command line, CRLF included.</summary>
    public const int DefaultMaxLineLength = 255;

    /// <summary>Longest keyword accepted (RFC 1939 keywords are 3-4 letters; extensions stay short too).</summary>
    public const int MaxVerbLength = 16;

    private static readonly Encoding Utf8Lenient = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>The verbs of RFC 1939, 2449, 2595, 5034 and 6856, most frequent first.</summary>
    private static readonly string[] KnownVerbs =
        ["RETR", "DELE", "LIST", "UIDL", "STAT", "TOP", "USER", "PASS", "QUIT", "NOOP", "RSET", "CAPA", "STLS", "APOP", "AUTH", "UTF8", "LANG"];

    /// <summary>Each known verb without arguments, as one shared command: "STAT", "UIDL", "QUIT"... cost nothing per line.</summary>
    private static readonly Pop3Command[] BareCommands = [.. KnownVerbs.Select(verb => new Pop3Command(verb, string.Empty))];

    private readonly LineReader _lines = new(maxLineLength);

    /// <summary>Parses the next line of <paramref name="buffer"/> and slices what it consumed off it.</summary>
    public Pop3ParseStatus TryParse(ref ReadOnlySequence<byte> buffer, out Pop3Command? command, out Pop3CommandError error)
    {
        command = null;
        error = Pop3CommandError.None;
        switch (_lines.TryReadLine(ref buffer, out var line))
        {
            case LineReadStatus.NeedMoreData:
                return Pop3ParseStatus.NeedMoreData;
            case LineReadStatus.TooLong:
                error = Pop3CommandError.LineTooLong;
                return Pop3ParseStatus.Error;
        }

        error = Parse(line, out command);
        return error == Pop3CommandError.None ? Pop3ParseStatus.Command : Pop3ParseStatus.Error;
    }

    /// <summary>
    /// Reads the next line as it is, without parsing it as a command: the client's lines inside a SASL exchange
    /// (RFC 5034) are base64 or "*", not commands. Same line limit and resynchronisation as commands.
    /// </summary>
    /// <param name="line">The line without its CR LF, valid until the buffer is advanced.</param>
    public LineReadStatus TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line) =>
        _lines.TryReadLine(ref buffer, out line);

    private static Pop3CommandError Parse(in ReadOnlySequence<byte> line, out Pop3Command? command)
    {
        command = null;
        var length = (int)line.Length;
        Span<byte> bytes = length <= 512 ? stackalloc byte[length] : new byte[length];
        line.CopyTo(bytes);

        var space = bytes.IndexOf((byte)' ');
        var verb = space < 0 ? bytes : bytes[..space];
        if (verb.IsEmpty)
        {
            return bytes.TrimEnd((byte)' ').IsEmpty ? Pop3CommandError.EmptyLine : Pop3CommandError.InvalidVerb;
        }

        if (verb.Length > MaxVerbLength || !IsAsciiLetters(verb))
        {
            return Pop3CommandError.InvalidVerb;
        }

        var known = KnownVerb(verb);
        if (space < 0 && known >= 0)
        {
            command = BareCommands[known];
            return Pop3CommandError.None;
        }

        var arguments = space < 0 ? string.Empty : Utf8Lenient.GetString(bytes[(space + 1)..]);
        command = new Pop3Command(known >= 0 ? KnownVerbs[known] : Encoding.ASCII.GetString(verb).ToUpperInvariant(), arguments);
        return Pop3CommandError.None;
    }

    /// <summary>
    /// The index of the verb in <see cref="KnownVerbs"/> (case-insensitive), or -1: a known verb is used as its
    /// constant (no string made per command on the hot path), any other one allocated upper-cased.
    /// </summary>
    private static int KnownVerb(ReadOnlySpan<byte> verb)
    {
        for (var i = 0; i < KnownVerbs.Length; i++)
        {
            if (KnownVerbs[i].Length == verb.Length && Ascii.EqualsIgnoreCase(verb, KnownVerbs[i]))
            {
                return i;
            }
        }

        return -1;
    }

    // A letter, then letters or digits: RFC 6856's UTF8 has one.
    private static bool IsAsciiLetters(ReadOnlySpan<byte> verb)
    {
        for (var i = 0; i < verb.Length; i++)
        {
            var c = (char)verb[i];
            if (!char.IsAsciiLetter(c) && (i == 0 || !char.IsAsciiDigit(c)))
            {
                return false;
            }
        }

        return true;
    }
}
