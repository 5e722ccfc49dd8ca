using System.Buffers;
using System.Text;

namespace Postino.Protocols.Smtp;

/// <summary>
/// One SMTP/LMTP reply: a three-digit code, an optional enhanced status code (RFC 3463, e.g. <c>5.1.1</c>) and one
/// or more text lines. Several lines are written in the multi-line form <c>250-first</c> ... <c>250 last</c>.
/// </summary>
public sealed record SmtpReply(int Code, string? Status, IReadOnlyList<string> Lines)
{
    public SmtpReply(int code, string? status, string text)
        : this(code, status, [text])
    {
    }

    /// <summary>True for 2xx and 3xx replies.</summary>
    public bool IsPositive => Code < 400;

    /// <summary>Writes the reply in wire form (every line ends in CRLF).</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        for (var i = 0; i < Lines.Count; i++)
        {
            var separator = i == Lines.Count - 1 ? ' ' : '-';
            var line = Status is null
                ? $"{Code}{separator}{Lines[i]}\r\n"
                : $"{Code}{separator}{Status} {Lines[i]}\r\n";
            Encoding.UTF8.GetBytes(line, output);
        }
    }

    public override string ToString()
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteTo(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
