using System.Buffers;
using CsCheck;
using Postino.Protocols.Text;

namespace Postino.Protocols.Tests.Text;

/// <summary>
/// Properties of the wire rules over random messages and random chunk splits (CsCheck shrinks a failure to a small
/// case and prints its seed). Written against the public behaviour only, so they hold for any implementation.
/// </summary>
public class WirePropertyTests
{
    private const long Iterations = 2000;

    /// <summary>Line content: any octet but CR and LF, with dots and spaces made frequent (dot-stuffing, empty-looking lines).</summary>
    private static readonly Gen<byte> ContentByte = Gen.Frequency(
        (2, Gen.Const((byte)'.')),
        (1, Gen.Const((byte)' ')),
        (6, Gen.Byte.Where(b => b is not (byte)'\r' and not (byte)'\n')));

    /// <summary>A stored message: lines, one line-end style for the whole message (the encoder's contract), with or without a final line end.</summary>
    private static readonly Gen<byte[]> StoredMessage = Gen.Select(ContentByte.Array[0, 40].Array[0, 30], Gen.Bool, Gen.Bool)
        .Select(m => Join(m.Item1, m.Item2 ? "\r\n"u8.ToArray() : "\n"u8.ToArray(), m.Item3));

    /// <summary>Chunk sizes, used in turn, as a socket or a file read would cut the bytes.</summary>
    private static readonly Gen<int[]> Cuts = Gen.Int[1, 80].Array[1, 12];

    [Fact]
    public void Encoding_then_unstuffing_gives_the_message_back_with_crlf_line_ends_at_any_chunk_split()
    {
        Gen.Select(StoredMessage, Cuts, Cuts).Sample(t =>
        {
            var (message, encodeCuts, decodeCuts) = t;

            var wire = Encode(message, encodeCuts);
            var (done, decoded, leftover) = Unstuff([.. wire, .. MessageEncoder.Terminator], decodeCuts);

            Assert.True(done, "the terminator was not recognised");
            Assert.Empty(leftover);
            Assert.Equal(ToCrlf(message), decoded);
        }, iter: Iterations);
    }

    [Fact]
    public void Line_reader_gives_the_same_lines_at_any_chunk_split()
    {
        var rawLine = Gen.Frequency((1, Gen.Const((byte)'\r')), (8, Gen.Byte.Where(b => b != (byte)'\n'))).Array[0, 90];
        var input = Gen.Select(rawLine.Array[0, 12], Gen.Bool).Select(t => Join(t.Item1, "\n"u8.ToArray(), t.Item2));
        Gen.Select(input, Gen.Int[3, 64], Cuts).Sample(t =>
        {
            var (bytes, maxLength, cuts) = t;

            Assert.Equal(ExpectedLines(bytes, maxLength), ReadLines(bytes, maxLength, cuts));
        }, iter: Iterations);
    }

    private static byte[] Join(byte[][] lines, byte[] lineEnd, bool finalLineEnd)
    {
        var result = new List<byte>();
        for (var i = 0; i < lines.Length; i++)
        {
            result.AddRange(lines[i]);
            if (i < lines.Length - 1 || finalLineEnd)
            {
                result.AddRange(lineEnd);
            }
        }

        return [.. result];
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Chunks(byte[] input, int[] cuts)
    {
        var offset = 0;
        for (var i = 0; offset < input.Length; i++)
        {
            var size = Math.Min(cuts[i % cuts.Length], input.Length - offset);
            yield return input.AsMemory(offset, size);
            offset += size;
        }
    }

    private static byte[] Encode(byte[] message, int[] cuts)
    {
        var encoder = new MessageEncoder(dotStuff: true);
        var output = new ArrayBufferWriter<byte>();
        foreach (var chunk in Chunks(message, cuts))
        {
            encoder.Encode(chunk.Span, output);
        }

        encoder.Complete(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Feeds the wire bytes like a pipe: what the unstuffer leaves unconsumed comes back in front of the next chunk.</summary>
    private static (bool Done, byte[] Output, byte[] Leftover) Unstuff(byte[] wire, int[] cuts)
    {
        var unstuffer = new DotUnstuffer();
        var output = new ArrayBufferWriter<byte>();
        var rest = ReadOnlySequence<byte>.Empty;
        foreach (var chunk in Chunks(wire, cuts))
        {
            rest = ChunkFeeder.Append(rest, chunk.ToArray());
            if (unstuffer.Decode(ref rest, output))
            {
                return (true, output.WrittenSpan.ToArray(), rest.ToArray());
            }
        }

        return (false, output.WrittenSpan.ToArray(), rest.ToArray());
    }

    /// <summary>The message with every line end as CRLF and a final CRLF when it had none (content holds no CR or LF).</summary>
    private static byte[] ToCrlf(byte[] message)
    {
        var result = new List<byte>();
        foreach (var b in message)
        {
            if (b == (byte)'\r')
            {
                continue;
            }

            if (b == (byte)'\n')
            {
                result.Add((byte)'\r');
            }

            result.Add(b);
        }

        if (result.Count > 0 && result[^1] != (byte)'\n')
        {
            result.AddRange("\r\n"u8.ToArray());
        }

        return [.. result];
    }

    /// <summary>The model: each LF-terminated line, its one trailing CR dropped, or "too long" when it and its LF exceed the limit.</summary>
    private static List<string> ExpectedLines(byte[] input, int maxLength)
    {
        var lines = new List<string>();
        var start = 0;
        int lf;
        while ((lf = Array.IndexOf(input, (byte)'\n', start)) >= 0)
        {
            var raw = input.AsSpan(start, lf - start);
            lines.Add(raw.Length + 1 > maxLength ? "<too long>" : Convert.ToHexString(raw.EndsWith("\r"u8) ? raw[..^1] : raw));
            start = lf + 1;
        }

        if (input.Length - start >= maxLength)
        {
            lines.Add("<too long>");
        }

        return lines;
    }

    private static List<string> ReadLines(byte[] input, int maxLength, int[] cuts)
    {
        var reader = new LineReader(maxLength);
        var lines = new List<string>();
        var rest = ReadOnlySequence<byte>.Empty;
        foreach (var chunk in Chunks(input, cuts))
        {
            rest = ChunkFeeder.Append(rest, chunk.ToArray());
            while (true)
            {
                var status = reader.TryReadLine(ref rest, out var line);
                if (status == LineReadStatus.NeedMoreData)
                {
                    break;
                }

                lines.Add(status == LineReadStatus.TooLong ? "<too long>" : Convert.ToHexString(line.ToArray()));
            }
        }

        return lines;
    }
}
