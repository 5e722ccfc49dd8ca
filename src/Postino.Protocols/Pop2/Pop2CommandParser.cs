using System.Buffers;
using System.Text;

namespace Postino.Protocols.Pop2;

/// <summary>
/// Parses one POP2 command line (without its CRLF). Keywords are case-insensitive; arguments follow a single space.
/// Never throws on wire input: a malformed line gives a <see cref="Pop2CommandError"/>.
/// </summary>
public static class Pop2CommandParser
{
    public static Pop2ParseResult Parse(in ReadOnlySequence<byte> line)
    {
        if (line.IsSingleSegment)
        {
            return Parse(line.FirstSpan);
        }

        // A command line is at most 512 octets, so a copy is cheap and bounded.
        Span<byte> copy = stackalloc byte[Pop2Limits.MaxCommandLength];
        if (line.Length > copy.Length)
        {
            return Pop2ParseResult.Failed(Pop2CommandError.LineTooLong);
        }

        line.CopyTo(copy);
        return Parse(copy[..(int)line.Length]);
    }

    public static Pop2ParseResult Parse(ReadOnlySpan<byte> line)
    {
        if (line.Length + 2 > Pop2Limits.MaxCommandLength)
        {
            return Pop2ParseResult.Failed(Pop2CommandError.LineTooLong);
        }

        // Arguments (passwords, folder names) may be UTF-8; undecodable octets become U+FFFD rather than an exception.
        var text = Encoding.UTF8.GetString(line);
        if (text.Length == 0)
        {
            return Pop2ParseResult.Failed(Pop2CommandError.EmptyLine);
        }

        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var keyword = space < 0 ? text : text[..space];
        var argument = space < 0 ? string.Empty : text[(space + 1)..];
        if (!TryGetVerb(keyword, out var verb))
        {
            return Pop2ParseResult.Failed(Pop2CommandError.UnknownCommand);
        }

        return verb switch
        {
            Pop2Verb.Helo => ParseHelo(argument),
            Pop2Verb.Fold => ParseFold(argument),
            Pop2Verb.Read => ParseRead(argument),
            _ => IsBlank(argument)
                ? Pop2ParseResult.Of(Pop2Command.Bare(verb))
                : Pop2ParseResult.Failed(Pop2CommandError.UnexpectedArgument),
        };
    }

    private static Pop2ParseResult ParseHelo(string argument)
    {
        // HELO user password: the user is one (escaped) word; the password is the whole rest of the line, so a
        // client that does not escape spaces in its password (fetchmail never escapes) still logs in.
        var split = Pop2Escapes.IndexOfUnescapedSpace(argument);
        if (split <= 0 || split == argument.Length - 1)
        {
            return Pop2ParseResult.Failed(Pop2CommandError.MissingArgument);
        }

        var user = Pop2Escapes.Unescape(argument[..split]);
        var password = Pop2Escapes.Unescape(argument[(split + 1)..]);
        return Pop2ParseResult.Of(Pop2Command.Helo(user, password));
    }

    private static Pop2ParseResult ParseFold(string argument)
    {
        if (argument.Length == 0)
        {
            return Pop2ParseResult.Failed(Pop2CommandError.MissingArgument);
        }

        return Pop2ParseResult.Of(Pop2Command.Fold(Pop2Escapes.Unescape(argument)));
    }

    private static Pop2ParseResult ParseRead(string argument)
    {
        var number = argument.TrimEnd(' ');
        if (number.Length == 0)
        {
            return Pop2ParseResult.Of(Pop2Command.Read(null));
        }

        long value = 0;
        foreach (var c in number)
        {
            if (c is < '0' or > '9')
            {
                return Pop2ParseResult.Failed(Pop2CommandError.InvalidNumber);
            }

            // Any number this large is out of range anyway (READ answers =0), so saturate instead of failing.
            value = Math.Min(value * 10 + (c - '0'), int.MaxValue);
        }

        return Pop2ParseResult.Of(Pop2Command.Read((int)value));
    }

    private static bool IsBlank(string argument) => argument.AsSpan().TrimEnd(' ').IsEmpty;

    private static bool TryGetVerb(string keyword, out Pop2Verb verb)
    {
        verb = keyword.ToUpperInvariant() switch
        {
            "HELO" => Pop2Verb.Helo,
            "FOLD" => Pop2Verb.Fold,
            "READ" => Pop2Verb.Read,
            "RETR" => Pop2Verb.Retr,
            "ACKS" => Pop2Verb.Acks,
            "ACKD" => Pop2Verb.Ackd,
            "NACK" => Pop2Verb.Nack,
            "QUIT" => Pop2Verb.Quit,
            _ => (Pop2Verb)(-1),
        };
        return Enum.IsDefined(verb);
    }
}
