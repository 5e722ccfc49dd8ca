using System.Buffers;

namespace Postino.Protocols.Text;

/// <summary>
/// Turns a stored message (LF or CRLF line ends, possibly without a final line end) into its wire form: CRLF line
/// ends, a final CRLF added when missing, dot-stuffed when asked (POP3 RETR/TOP, SMTP), and optionally cut after the
/// header and N body lines (POP3 TOP). Stateful across chunks, so a message is streamed, never held whole.
/// The POP3 terminator is not written here: see <see cref="Terminator"/>.
/// </summary>
/// <remarks>
/// The wire form only differs from the stored form at line ends: a CR goes before a bare LF, a dot after a LF when
/// the next line starts with one. So the input is scanned for LF with the vectorised <c>IndexOf</c> and copied in
/// runs that stop only where an octet must be inserted: a message stored with CRLF and no leading dots is one copy
/// per chunk. A CR is written as soon as it is seen (data or half of a line end, it goes out either way), so nothing
/// is held back across chunks but the fact that the last octet was a CR.
/// </remarks>
public sealed class MessageEncoder(bool dotStuff, long? bodyLineLimit = null)
{
    /// <summary>How much output space is asked for at a time: big pipe segments mean few, large socket writes.</summary>
    private const int OutputSegment = 64 * 1024;

    private bool _atLineStart = true;
    private bool _afterCr;
    private long _lineOctets;
    private bool _inHeader = true;
    private long _bodyLines;
    private bool _started;

    /// <summary>The multi-line terminator, written after <see cref="Complete"/> by POP3 and SMTP writers.</summary>
    public static ReadOnlySpan<byte> Terminator => ".\r\n"u8;

    /// <summary>True once a TOP limit has been reached: the rest of the input can be left unread.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>The number of octets of the wire form of a stored message, without dot-stuffing (STAT, LIST, POP2 READ).</summary>
    public static async ValueTask<long> MeasureAsync(Stream stored, CancellationToken cancellationToken)
    {
        var counter = new WireSizeCounter();
        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            int read;
            while ((read = await stored.ReadAsync(buffer, cancellationToken)) > 0)
            {
                counter.Add(buffer.AsSpan(0, read));
            }

            return counter.Total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Encodes the next chunk of the stored message.</summary>
    public void Encode(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        if (input.IsEmpty || IsComplete)
        {
            return;
        }

        _started = true;
        var sink = new Sink(output);
        if (bodyLineLimit is null)
        {
            EncodeRuns(input, ref sink);
        }
        else
        {
            EncodeLines(input, ref sink, bodyLineLimit.Value);
        }

        sink.Commit();
    }

    /// <summary>Ends the message: adds the final CRLF when the stored message lacks one.</summary>
    public void Complete(IBufferWriter<byte> output)
    {
        if (IsComplete || !_started || _atLineStart)
        {
            return;
        }

        // A trailing lone CR (already written) is taken as the line end it was meant to be.
        output.Write(_afterCr ? "\n"u8 : "\r\n"u8);
        EndLine(hasContent: _lineOctets > (_afterCr ? 1 : 0));
    }

    /// <summary>RETR, SMTP, POP2: no line counting, so lines that need nothing inserted are copied together.</summary>
    private void EncodeRuns(ReadOnlySpan<byte> input, ref Sink sink)
    {
        var position = 0;
        if (_atLineStart)
        {
            _atLineStart = false;
            if (dotStuff && input[0] == (byte)'.')
            {
                sink.Write((byte)'.');
            }
        }

        var runStart = 0;
        while (true)
        {
            var found = input[position..].IndexOf((byte)'\n');
            if (found < 0)
            {
                break;
            }

            var lf = position + found;
            var crBefore = lf > 0 ? input[lf - 1] == (byte)'\r' : _afterCr;
            if (!crBefore)
            {
                sink.Write(input[runStart..lf]);
                sink.Write((byte)'\r');
                runStart = lf;
            }

            position = lf + 1;
            if (position == input.Length)
            {
                _atLineStart = true;
                break;
            }

            if (dotStuff && input[position] == (byte)'.')
            {
                sink.Write(input[runStart..position]);
                sink.Write((byte)'.');
                runStart = position;
            }
        }

        sink.Write(input[runStart..]);
        _afterCr = input[^1] == (byte)'\r';
    }

    /// <summary>TOP: line by line, to find the end of the header and count body lines.</summary>
    private void EncodeLines(ReadOnlySpan<byte> input, ref Sink sink, long limit)
    {
        var position = 0;
        while (position < input.Length)
        {
            if (_atLineStart)
            {
                if (!_inHeader && _bodyLines >= limit)
                {
                    IsComplete = true;
                    return;
                }

                _atLineStart = false;
                _lineOctets = 0;
                _afterCr = false;
                if (dotStuff && input[position] == (byte)'.')
                {
                    sink.Write((byte)'.');
                }
            }

            var rest = input[position..];
            var found = rest.IndexOf((byte)'\n');
            if (found < 0)
            {
                sink.Write(rest);
                _lineOctets += rest.Length;
                _afterCr = rest[^1] == (byte)'\r';
                return;
            }

            var crBefore = found > 0 ? rest[found - 1] == (byte)'\r' : _afterCr;
            sink.Write(rest[..found]);
            sink.Write(crBefore ? "\n"u8 : "\r\n"u8);
            _lineOctets += found;
            EndLine(hasContent: _lineOctets > (crBefore ? 1 : 0));
            position += found + 1;
        }
    }

    private void EndLine(bool hasContent)
    {
        _atLineStart = true;
        _afterCr = false;
        if (_inHeader)
        {
            if (!hasContent)
            {
                _inHeader = false;
            }
        }
        else
        {
            _bodyLines++;
        }
    }

    /// <summary>Writes into large spans of the output, advancing once per span instead of once per write.</summary>
    private ref struct Sink(IBufferWriter<byte> output)
    {
        private Span<byte> _span;
        private int _written;

        public void Write(byte value)
        {
            if (_written == _span.Length)
            {
                Renew();
            }

            _span[_written++] = value;
        }

        public void Write(ReadOnlySpan<byte> data)
        {
            while (!data.IsEmpty)
            {
                if (_written == _span.Length)
                {
                    Renew();
                }

                var take = Math.Min(data.Length, _span.Length - _written);
                data[..take].CopyTo(_span[_written..]);
                _written += take;
                data = data[take..];
            }
        }

        public void Commit()
        {
            if (_written > 0)
            {
                output.Advance(_written);
            }

            _span = default;
            _written = 0;
        }

        private void Renew()
        {
            Commit();
            _span = output.GetSpan(OutputSegment);
        }
    }
}
