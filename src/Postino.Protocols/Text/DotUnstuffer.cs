using System.Buffers;

namespace Postino.Protocols.Text;

/// <summary>
/// Reads dot-stuffed multi-line data (POP3 RETR/TOP replies, SMTP/LMTP DATA) up to its terminating <c>.</c> line,
/// removing the stuffed dots. Resumable across buffer refills: it remembers whether it is at the start of a line, and
/// a partial <c>.</c> or <c>.\r</c> at the end of a buffer waits for more bytes. Line ends are passed on as received
/// (CRLF, or a bare LF from a sloppy peer); the terminator line is not.
/// </summary>
public sealed class DotUnstuffer
{
    private bool _atLineStart = true;

    /// <summary>Octets written to the output so far.</summary>
    public long Written { get; private set; }

    /// <summary>
    /// Consumes as much of <paramref name="buffer"/> as it can. Returns true when the terminator line was consumed;
    /// bytes after it are left in the buffer.
    /// </summary>
    public bool Decode(ref ReadOnlySequence<byte> buffer, IBufferWriter<byte> output)
    {
        var reader = new SequenceReader<byte>(buffer);
        try
        {
            while (!reader.End)
            {
                if (_atLineStart)
                {
                    if (reader.IsNext((byte)'.'))
                    {
                        if (reader.IsNext(".\r\n"u8) || reader.IsNext(".\n"u8))
                        {
                            reader.AdvancePast((byte)'.');
                            reader.IsNext((byte)'\r', advancePast: true);
                            reader.Advance(1);
                            return true;
                        }

                        if (reader.Remaining < 3 && (reader.Remaining == 1 || reader.IsNext(".\r"u8)))
                        {
                            return false;
                        }

                        reader.Advance(1);
                    }

                    _atLineStart = false;
                }

                if (reader.TryReadTo(out ReadOnlySequence<byte> content, (byte)'\n', advancePastDelimiter: true))
                {
                    Write(content, output);
                    Write("\n"u8, output);
                    _atLineStart = true;
                }
                else
                {
                    Write(reader.UnreadSequence, output);
                    reader.AdvanceToEnd();
                }
            }

            return false;
        }
        finally
        {
            buffer = buffer.Slice(reader.Position);
        }
    }

    private void Write(in ReadOnlySequence<byte> data, IBufferWriter<byte> output)
    {
        foreach (var segment in data)
        {
            output.Write(segment.Span);
        }

        Written += data.Length;
    }

    private void Write(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        output.Write(data);
        Written += data.Length;
    }
}
