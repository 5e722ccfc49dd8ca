using System.Buffers;
using System.Globalization;
using System.Text;

namespace Postino.Protocols.Pop3;

/// <summary>
/// Writes POP3 replies: <c>+OK text</c>, <c>-ERR [CODE] text</c>, and the lines of multi-line replies (dot-stuffed)
/// with their terminator. Texts are sanitised: a CR or LF inside a text can never end the reply early.
/// </summary>
public static class Pop3ReplyWriter
{
    /// <summary>"-9223372036854775808".</summary>
    private const int MaxInt64Digits = 20;

    public static void WriteOk(IBufferWriter<byte> output, string? text = null, Pop3ResponseCode? code = null) =>
        WriteStatus(output, "+OK"u8, code, text);

    public static void WriteErr(IBufferWriter<byte> output, string? text = null, Pop3ResponseCode? code = null) =>
        WriteStatus(output, "-ERR"u8, code, text);

    /// <summary><c>+OK text</c> from a formatted span (no string made for it).</summary>
    public static void WriteOkText(IBufferWriter<byte> output, ReadOnlySpan<char> text)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write("+OK"u8);
        if (!text.IsEmpty)
        {
            output.Write(" "u8);
            WriteText(output, text);
        }

        output.Write("\r\n"u8);
    }

    /// <summary><c>+OK first second</c>: STAT's "count octets", LIST n's "msn octets".</summary>
    public static void WriteOkNumbers(IBufferWriter<byte> output, long first, long second)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write("+OK "u8);
        WriteNumbers(output, first, second);
    }

    /// <summary><c>+OK number text</c>: UIDL n's "msn uidl".</summary>
    public static void WriteOkNumberAndText(IBufferWriter<byte> output, long number, string text)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(text);
        output.Write("+OK "u8);
        WriteNumberAndText(output, number, text);
    }

    /// <summary>A line <c>first second</c> of a multi-line reply (LIST); it starts with a digit, so it needs no stuffing.</summary>
    public static void WriteDataLine(IBufferWriter<byte> output, long first, long second)
    {
        ArgumentNullException.ThrowIfNull(output);
        WriteNumbers(output, first, second);
    }

    /// <summary>A line <c>number text</c> of a multi-line reply (UIDL); it starts with a digit, so it needs no stuffing.</summary>
    public static void WriteDataLine(IBufferWriter<byte> output, long number, string text)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(text);
        WriteNumberAndText(output, number, text);
    }

    /// <summary>One line of a multi-line reply: a leading dot is doubled (RFC 1939 byte-stuffing).</summary>
    public static void WriteDataLine(IBufferWriter<byte> output, string line)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(line);
        if (line.StartsWith('.'))
        {
            output.Write("."u8);
        }

        WriteText(output, line);
        output.Write("\r\n"u8);
    }

    /// <summary>The <c>.</c> line that ends a multi-line reply.</summary>
    public static void WriteTerminator(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(".\r\n"u8);
    }

    /// <summary>A whole multi-line reply: <c>+OK text</c>, the lines, then <c>.</c>.</summary>
    public static void WriteMultiLine(IBufferWriter<byte> output, string? text, IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        WriteOk(output, text);
        foreach (var line in lines)
        {
            WriteDataLine(output, line);
        }

        WriteTerminator(output);
    }

    private static void WriteStatus(IBufferWriter<byte> output, ReadOnlySpan<byte> status, Pop3ResponseCode? code, string? text)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(status);
        if (code is { } c)
        {
            output.Write(" ["u8);
            WriteText(output, c.Value);
            output.Write("]"u8);
        }

        if (!string.IsNullOrEmpty(text))
        {
            output.Write(" "u8);
            WriteText(output, text);
        }

        output.Write("\r\n"u8);
    }

    private static void WriteNumbers(IBufferWriter<byte> output, long first, long second)
    {
        WriteNumber(output, first);
        output.Write(" "u8);
        WriteNumber(output, second);
        output.Write("\r\n"u8);
    }

    private static void WriteNumberAndText(IBufferWriter<byte> output, long number, string text)
    {
        WriteNumber(output, number);
        output.Write(" "u8);
        WriteText(output, text);
        output.Write("\r\n"u8);
    }

    /// <summary>Decimal digits (and a minus sign), invariant: what string.Format gave.</summary>
    private static void WriteNumber(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(MaxInt64Digits);
        if (!value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("the writer gave less space than asked for");
        }

        output.Advance(written);
    }

    /// <summary>A span text: CR and LF become spaces, as in the string form (UTF-8 has no 0x0D/0x0A inside a character).</summary>
    private static void WriteText(IBufferWriter<byte> output, ReadOnlySpan<char> text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        var written = Encoding.UTF8.GetBytes(text, span);
        span[..written].Replace((byte)'\r', (byte)' ');
        span[..written].Replace((byte)'\n', (byte)' ');
        output.Advance(written);
    }

    private static void WriteText(IBufferWriter<byte> output, string text)
    {
        if (text.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            text = text.Replace('\r', ' ').Replace('\n', ' ');
        }

        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
