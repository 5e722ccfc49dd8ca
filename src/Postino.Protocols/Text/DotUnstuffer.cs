using System.Buffers;

namespace Postino.Protocols.Text;

/// <summary>
/// Reads dot-stuffed multi-line data (POP3 RETR/TOP replies, SMTP/LMTP DATA) up to its terminating <c>.</c> line,
/// removing the stuffed dots. Resumable across buffer refills: it remembers whether it is at the start of a line, and
/// a partial <c>.</c> or <c>.\r</c> at the end of a buffer waits for more bytes. Line ends are passed on as received;
/// the terminator line is not.
/// <para>
/// Two forms. The lenient one (the fetch client reading a server it chose) also takes a bare LF as a line end, so
/// <c>&lt;LF&gt;.&lt;LF&gt;</c> ends the data. The strict one (<see cref="Strict"/>, for SMTP/LMTP DATA from the
/// internet) ends only at <c>&lt;CRLF&gt;.&lt;CRLF&gt;</c>: any other reading lets a sender smuggle a second message
/// past a filter that reads the same bytes differently. A bare LF or CR is then kept as data and reported in
/// <see cref="BareLineEnd"/>, so the caller can refuse the message once the real terminator arrives.
/// </para>
/// </summary>
public sealed class DotUnstuffer
{
    private bool _atLineStart = true;

    /// <summary>Strict mode only: the last octet written was a CR whose LF has not been seen yet.</summary>
    private bool _pendingCr;

    /// <summary>A lenient reader (a bare LF ends a line).</summary>
    public DotUnstuffer()
        : this(strict: false)
    {
    }

    /// <param name="strict">True: only CRLF ends a line (see the class remarks).</param>
    public DotUnstuffer(bool strict)
    {
        Strict = strict;
    }

    /// <summary>True when only <c>&lt;CRLF&gt;.&lt;CRLF&gt;</c> ends the data.</summary>
    public bool Strict { get; }

    /// <summary>Strict mode: the first line end that was not CRLF (None when there was none).</summary>
    public BareLineEnd BareLineEnd { get; private set; }

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
            return Strict ? DecodeStrict(ref reader, output) : DecodeLenient(ref reader, output);
        }
        finally
        {
            buffer = buffer.Slice(reader.Position);
        }
    }

    private bool DecodeLenient(ref SequenceReader<byte> reader, IBufferWriter<byte> output)
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

    private bool DecodeStrict(ref SequenceReader<byte> reader, IBufferWriter<byte> output)
    {
        while (!reader.End)
        {
            if (_pendingCr)
            {
                _pendingCr = false;
                if (reader.IsNext((byte)'\n', advancePast: true))
                {
                    Write("\n"u8, output);
                    _atLineStart = true;
                }
                else
                {
                    Note(BareLineEnd.BareCr);
                }

                continue;
            }

            if (_atLineStart)
            {
                if (reader.IsNext((byte)'.'))
                {
                    if (reader.IsNext(".\r\n"u8, advancePast: true))
                    {
                        return true;
                    }

                    if (reader.Remaining < 3 && (reader.Remaining == 1 || reader.IsNext(".\r"u8)))
                    {
                        return false;
                    }

                    reader.Advance(1);
                }

                _atLineStart = false;
                continue;
            }

            if (!reader.TryReadToAny(out ReadOnlySequence<byte> content, "\r\n"u8, advancePastDelimiter: false))
            {
                Write(reader.UnreadSequence, output);
                reader.AdvanceToEnd();
                break;
            }

            Write(content, output);
            reader.TryRead(out var end);
            if (end == (byte)'\n')
            {
                // A bare LF is data, never a line end: the next '.' is not at the start of a line.
                Write("\n"u8, output);
                Note(BareLineEnd.BareLf);
            }
            else if (reader.IsNext((byte)'\n', advancePast: true))
            {
                Write("\r\n"u8, output);
                _atLineStart = true;
            }
            else
            {
                // Either a bare CR or the buffer ends between CR and LF: the next octet decides.
                Write("\r"u8, output);
                _pendingCr = true;
            }
        }

        return false;
    }

    private void Note(BareLineEnd kind)
    {
        if (BareLineEnd == BareLineEnd.None)
        {
            BareLineEnd = kind;
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
