using System.Buffers;
using System.Text;

namespace Postino.Protocols.Pop3;

/// <summary>
/// Writes POP3 replies: <c>+OK text</c>, <c>-ERR [CODE] text</c>, and the lines of multi-line replies (dot-stuffed)
/// with their terminator. Texts are sanitised: a CR or LF inside a text can never end the reply early.
/// </summary>
public static class Pop3ReplyWriter
{
    public static void WriteOk(IBufferWriter<byte> output, string? text = null, Pop3ResponseCode? code = null) =>
        WriteStatus(output, "+OK"u8, code, text);

    public static void WriteErr(IBufferWriter<byte> output, string? text = null, Pop3ResponseCode? code = null) =>
        WriteStatus(output, "-ERR"u8, code, text);

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
