using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Postino.Protocols.Text;

/// <summary>
/// Turns a stored message (LF or CRLF line ends, possibly without a final line end) into its wire form: CRLF line
/// ends, a final CRLF added when missing, dot-stuffed when asked (POP3 RETR/TOP, SMTP), and optionally cut after the
/// header and N body lines (POP3 TOP). Stateful across chunks, so a message is streamed, never held whole.
/// The POP3 terminator is not written here: see <see cref="Terminator"/>.
/// </summary>
/// <remarks>
/// The wire form only differs from the stored form at line ends: a CR goes before a bare LF, a dot after a LF when
/// the next line starts with one. So without a TOP limit the input is copied 16 octets at a time straight into the
/// output and searched for LF in the same pass (one load and one store per 16 octets, no separate search and copy),
/// stopping only at a LF. A CR is written as soon as it is seen (data or half of a line end, it goes out either way),
/// so nothing is held back across chunks but the fact that the last octet was a CR.
/// </remarks>
public sealed class MessageEncoder(bool dotStuff, long? bodyLineLimit = null)
{
    /// <summary>
    /// The most output space asked for at a time: big pipe segments mean few, large socket writes. A small chunk asks
    /// for no more than its wire form can take (<see cref="SpaceFor"/>): a pipe hands out a fresh segment whenever its
    /// current one has less room than asked, so asking 64 KiB for each octet of a store that reads a few octets at a
    /// time cost a 64 KiB segment per octet.
    /// </summary>
    private const int OutputSegment = 64 * 1024;

    /// <summary>The least output space the copy loop works in: one vector and the octets a line end can add.</summary>
    private const int MinimumSpan = 32;

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
        if (bodyLineLimit is null)
        {
            EncodeRuns(input, output);
            return;
        }

        var sink = new Sink(output, SpaceFor(input.Length));
        EncodeLines(input, ref sink, bodyLineLimit.Value);
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

    /// <summary>
    /// RETR, SMTP, POP2: no line counting, so the input is copied into large output spans in one pass, 16 octets at a
    /// time, stopping only at a LF to insert what the wire form needs (a CR before a bare LF, a dot before a line
    /// that starts with one).
    /// </summary>
    private void EncodeRuns(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        var position = 0;
        var dotFirst = _atLineStart && dotStuff && input[0] == (byte)'.';
        Span<byte> small = stackalloc byte[MinimumSpan];
        while (position < input.Length)
        {
            var span = output.GetSpan(SpaceFor(input.Length - position));
            if (span.Length < MinimumSpan)
            {
                // A writer that hands out less than asked: go through a small buffer, which Write splits for it.
                var count = CopyStart(ref dotFirst, small);
                count = Copy(input, ref position, small, count);
                output.Write(small[..count]);
                continue;
            }

            var written = CopyStart(ref dotFirst, span);
            output.Advance(Copy(input, ref position, span, written));
        }

        _afterCr = input[^1] == (byte)'\r';
        _atLineStart = input[^1] == (byte)'\n';
    }

    /// <summary>
    /// Room for the wire form of <paramref name="octets"/> stored octets in one span (each at most doubles: a bare LF
    /// gets its CR, a dot after a line end its second dot), capped at <see cref="OutputSegment"/>.
    /// </summary>
    private static int SpaceFor(int octets) => (int)Math.Min(OutputSegment, (2L * octets) + MinimumSpan);

    private static int CopyStart(ref bool dotFirst, Span<byte> output)
    {
        if (!dotFirst)
        {
            return 0;
        }

        dotFirst = false;
        output[0] = (byte)'.';
        return 1;
    }

    /// <summary>
    /// Copies <paramref name="input"/> from <paramref name="position"/> into <paramref name="output"/> from
    /// <paramref name="written"/> in wire form until either runs out (the output keeps room for the 3 octets a line
    /// end can become); returns the octets written. Each block of 16 is stored before it is searched: when it holds no
    /// LF the copy is already done, otherwise the copy goes on from its first LF.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Copy(ReadOnlySpan<byte> input, ref int position, Span<byte> output, int written)
    {
        ref var source = ref MemoryMarshal.GetReference(input);
        ref var target = ref MemoryMarshal.GetReference(output);
        var length = input.Length;
        var room = output.Length;
        var i = position;
        var o = written;
        var lf = Vector128.Create((byte)'\n');
        while (i < length)
        {
            if (Vector128.IsHardwareAccelerated && length - i >= Vector128<byte>.Count && room - o >= Vector128<byte>.Count + 2)
            {
                var block = Vector128.LoadUnsafe(ref source, (nuint)i);
                block.StoreUnsafe(ref target, (nuint)o);
                var lineEnds = Vector128.Equals(block, lf).ExtractMostSignificantBits();
                if (lineEnds == 0)
                {
                    i += Vector128<byte>.Count;
                    o += Vector128<byte>.Count;
                    continue;
                }

                // The octets before the LF are in place; at most 15, so 3 octets of room are left.
                var before = BitOperations.TrailingZeroCount(lineEnds);
                i += before;
                o += before;
            }
            else if (room - o < 3)
            {
                break;
            }

            var octet = Unsafe.Add(ref source, i);
            if (octet != (byte)'\n')
            {
                Unsafe.Add(ref target, o++) = octet;
                i++;
                continue;
            }

            var crBefore = i > 0 ? Unsafe.Add(ref source, i - 1) == (byte)'\r' : _afterCr;
            if (!crBefore)
            {
                Unsafe.Add(ref target, o++) = (byte)'\r';
            }

            Unsafe.Add(ref target, o++) = (byte)'\n';
            i++;
            if (dotStuff && i < length && Unsafe.Add(ref source, i) == (byte)'.')
            {
                Unsafe.Add(ref target, o++) = (byte)'.';
            }
        }

        position = i;
        return o;
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
    private ref struct Sink(IBufferWriter<byte> output, int spanSize)
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
            _span = output.GetSpan(spanSize);
        }
    }
}
