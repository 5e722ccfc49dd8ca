using System.Buffers;
using System.Globalization;
using System.Text;

namespace Postino.Protocols.Pop2;

/// <summary>
/// Writes POP2 reply lines. The number of <c>#n</c> and <c>=c</c> comes right after the lead character (clients such
/// as fetchmail read it with atoi from there). The free text is made safe: printable ASCII only, and the whole line is
/// cut to <see cref="Pop2Limits.MaxReplyLength"/> octets including CRLF.
/// </summary>
public static class Pop2ReplyWriter
{
    public static void Success(IBufferWriter<byte> output, string text) => Write(output, Pop2ReplyKind.Success, null, text);

    public static void Failure(IBufferWriter<byte> output, string text) => Write(output, Pop2ReplyKind.Failure, null, text);

    public static void Count(IBufferWriter<byte> output, int count, string text) => Write(output, Pop2ReplyKind.Count, count, text);

    public static void Length(IBufferWriter<byte> output, long length, string text) => Write(output, Pop2ReplyKind.Length, length, text);

    /// <summary>The reply line as a string including its CRLF (for tests and clients).</summary>
    public static string Format(Pop2ReplyKind kind, long? number, string text)
    {
        var line = new StringBuilder(64);
        line.Append(kind switch
        {
            Pop2ReplyKind.Success => '+',
            Pop2ReplyKind.Failure => '-',
            Pop2ReplyKind.Count => '#',
            _ => '=',
        });
        if (kind is Pop2ReplyKind.Count or Pop2ReplyKind.Length)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(number ?? -1, nameof(number));
            line.Append(number!.Value.ToString(CultureInfo.InvariantCulture));
        }

        if (text.Length > 0)
        {
            line.Append(' ');
            foreach (var c in text)
            {
                if (line.Length >= Pop2Limits.MaxReplyLength - 2)
                {
                    break;
                }

                line.Append(c is >= ' ' and <= '~' ? c : '?');
            }
        }

        return line.Append("\r\n").ToString();
    }

    public static void Write(IBufferWriter<byte> output, Pop2ReplyKind kind, long? number, string text)
    {
        var line = Format(kind, number, text);
        var span = output.GetSpan(line.Length);
        var written = Encoding.ASCII.GetBytes(line, span);
        output.Advance(written);
    }
}
