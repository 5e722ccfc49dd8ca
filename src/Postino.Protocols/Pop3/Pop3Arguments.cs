using System.Globalization;

namespace Postino.Protocols.Pop3;

/// <summary>Why a command's arguments were refused (each gets its own -ERR text).</summary>
public enum Pop3ArgumentError
{
    None,
    Missing,
    TooMany,
    NotANumber,

    /// <summary>Message number 0: message numbers start at 1.</summary>
    Zero,

    /// <summary>A number too large for its field (a message number, or a TOP line count over 2^32-1).</summary>
    TooLarge,
}

/// <summary>
/// Shared argument parsing for the commands that take numbers, so each handler stays a few lines (Dovecot's
/// get_msgnum/get_size). Numbers are plain ASCII decimal digits: no sign, no spaces inside, no hex.
/// </summary>
public static class Pop3Arguments
{
    /// <summary>Exactly one argument: a message number (RETR, DELE, LIST n, UIDL n).</summary>
    /// <remarks>Read from the argument text in place (as <see cref="Pop3Command.Args"/> would split it, without the split).</remarks>
    public static Pop3ArgumentError ParseMessageNumber(Pop3Command command, out int msn)
    {
        ArgumentNullException.ThrowIfNull(command);
        msn = 0;
        var rest = command.Arguments.AsSpan().TrimStart(' ');
        if (rest.IsEmpty)
        {
            return Pop3ArgumentError.Missing;
        }

        var space = rest.IndexOf(' ');
        if (space >= 0 && !rest[space..].TrimStart(' ').IsEmpty)
        {
            return Pop3ArgumentError.TooMany;
        }

        return ParseMessageNumber(space < 0 ? rest : rest[..space], out msn);
    }

    /// <summary>Exactly two arguments: TOP's message number and body line count (any 32-bit unsigned count).</summary>
    public static Pop3ArgumentError ParseTop(Pop3Command command, out int msn, out uint lines)
    {
        ArgumentNullException.ThrowIfNull(command);
        msn = 0;
        lines = 0;
        if (command.Args.Count < 2)
        {
            return Pop3ArgumentError.Missing;
        }

        if (command.Args.Count > 2)
        {
            return Pop3ArgumentError.TooMany;
        }

        var error = ParseMessageNumber(command.Args[0], out msn);
        return error != Pop3ArgumentError.None ? error : ParseCount(command.Args[1], out lines);
    }

    /// <summary>One message number: 1 to <see cref="int.MaxValue"/>.</summary>
    public static Pop3ArgumentError ParseMessageNumber(string text, out int msn)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ParseMessageNumber(text.AsSpan(), out msn);
    }

    /// <inheritdoc cref="ParseMessageNumber(string, out int)"/>
    public static Pop3ArgumentError ParseMessageNumber(ReadOnlySpan<char> text, out int msn)
    {
        msn = 0;
        var error = ParseCount(text, out var value);
        if (error != Pop3ArgumentError.None)
        {
            return error;
        }

        if (value == 0)
        {
            return Pop3ArgumentError.Zero;
        }

        if (value > int.MaxValue)
        {
            return Pop3ArgumentError.TooLarge;
        }

        msn = (int)value;
        return Pop3ArgumentError.None;
    }

    /// <summary>A count from 0 to <see cref="uint.MaxValue"/>.</summary>
    public static Pop3ArgumentError ParseCount(string text, out uint value)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ParseCount(text.AsSpan(), out value);
    }

    /// <inheritdoc cref="ParseCount(string, out uint)"/>
    public static Pop3ArgumentError ParseCount(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        if (text.Length == 0 || !text.ContainsOnlyAsciiDigits())
        {
            return Pop3ArgumentError.NotANumber;
        }

        return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value)
            ? Pop3ArgumentError.None
            : Pop3ArgumentError.TooLarge;
    }

    private static bool ContainsOnlyAsciiDigits(this ReadOnlySpan<char> text) =>
        !text.ContainsAnyExceptInRange('0', '9');
}
