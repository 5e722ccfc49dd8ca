using System.Buffers;

namespace Postino.Protocols.Text;

/// <summary>What <see cref="LineReader.TryReadLine"/> found.</summary>
public enum LineReadStatus
{
    /// <summary>A whole line was read and consumed.</summary>
    Line,

    /// <summary>No whole line yet: read more bytes and call again (nothing usable was consumed).</summary>
    NeedMoreData,

    /// <summary>
    /// A line longer than the limit: its bytes are being thrown away up to the next LF, so the session stays in
    /// step. Reported once per over-long line; answer it with an error.
    /// </summary>
    TooLong,
}

/// <summary>
/// Splits a byte stream into lines ending in LF (an optional CR before it is stripped), with a maximum length.
/// Resumable: it keeps its state across buffer refills, so input can arrive in chunks of any size.
/// </summary>
public sealed class LineReader(int maxLineLength)
{
    private bool _discarding;

    /// <summary>Maximum line length in octets, counting the line end.</summary>
    public int MaxLineLength { get; } = maxLineLength > 2 ? maxLineLength : throw new ArgumentOutOfRangeException(nameof(maxLineLength));

    /// <summary>Reads one line from the start of <paramref name="buffer"/> and slices what it consumed off it.</summary>
    /// <param name="line">The line without its CR LF or LF, valid until the buffer is advanced.</param>
    public LineReadStatus TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        line = default;
        if (_discarding)
        {
            var end = buffer.PositionOf((byte)'\n');
            if (end is null)
            {
                buffer = buffer.Slice(buffer.End);
                return LineReadStatus.NeedMoreData;
            }

            buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
            _discarding = false;
        }

        var lf = buffer.PositionOf((byte)'\n');
        if (lf is null)
        {
            if (buffer.Length < MaxLineLength)
            {
                return LineReadStatus.NeedMoreData;
            }

            buffer = buffer.Slice(buffer.End);
            _discarding = true;
            return LineReadStatus.TooLong;
        }

        var content = buffer.Slice(0, lf.Value);
        var afterLf = buffer.GetPosition(1, lf.Value);
        if (content.Length + 1 > MaxLineLength)
        {
            buffer = buffer.Slice(afterLf);
            return LineReadStatus.TooLong;
        }

        if (!content.IsEmpty && EndsWithCr(content))
        {
            content = content.Slice(0, content.Length - 1);
        }

        line = content;
        buffer = buffer.Slice(afterLf);
        return LineReadStatus.Line;
    }

    private static bool EndsWithCr(in ReadOnlySequence<byte> content)
    {
        var last = content.Slice(content.Length - 1);
        return last.FirstSpan[0] == (byte)'\r';
    }
}
