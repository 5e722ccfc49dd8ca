using System.Buffers;
using Postino.Protocols.Smtp;
using Postino.Protocols.Text;

namespace Postino.Fuzz.Targets;

/// <summary>
/// The DATA reader (dot-unstuffing, the terminator, the size limit) and the fetch client's DotUnstuffer. Besides not
/// crashing, the result must not depend on how the network cut the bytes: the input fed whole and fed in pieces
/// (size chosen by the first byte) must give the same message and stop at the same place.
/// </summary>
internal static class SmtpDataTarget
{
    private const long MaxSize = 4096;

    public static void Run(byte[] input)
    {
        var pieceSize = input.Length == 0 ? 1 : (input[0] % 61) + 1;
        var whole = Feed(input, input.Length + 1);
        var pieces = Feed(input, pieceSize);
        if (whole != pieces)
        {
            throw new InvalidOperationException($"DATA reader depends on chunking: whole {whole}, in {pieceSize}-octet pieces {pieces}");
        }

        var unstuffedWhole = Unstuff(input, input.Length + 1);
        var unstuffedPieces = Unstuff(input, pieceSize);
        if (unstuffedWhole != unstuffedPieces)
        {
            throw new InvalidOperationException($"DotUnstuffer depends on chunking: whole {unstuffedWhole}, in {pieceSize}-octet pieces {unstuffedPieces}");
        }
    }

    private static string Feed(byte[] input, int pieceSize)
    {
        var reader = new SmtpDataReader(MaxSize);
        var output = new ArrayBufferWriter<byte>();
        return Drive(input, pieceSize, output, (ref ReadOnlySequence<byte> buffer) => reader.Read(ref buffer, output),
            () => $"size {reader.Size} over {reader.LimitExceeded}");
    }

    private static string Unstuff(byte[] input, int pieceSize)
    {
        var unstuffer = new DotUnstuffer();
        var output = new ArrayBufferWriter<byte>();
        return Drive(input, pieceSize, output, (ref ReadOnlySequence<byte> buffer) => unstuffer.Decode(ref buffer, output),
            () => $"written {unstuffer.Written}");
    }

    private delegate bool Step(ref ReadOnlySequence<byte> buffer);

    /// <summary>Feeds the pieces like a pipe would (unconsumed bytes stay in front of the next piece).</summary>
    private static string Drive(byte[] input, int pieceSize, ArrayBufferWriter<byte> output, Step step, Func<string> state)
    {
        var pending = new List<byte>();
        var consumed = 0;
        var done = false;
        foreach (var piece in Chunks.Pieces(input, pieceSize))
        {
            pending.AddRange(piece.Span);
            var buffer = new ReadOnlySequence<byte>(pending.ToArray());
            var before = buffer.Length;
            done = step(ref buffer);
            consumed += (int)(before - buffer.Length);
            pending = [.. buffer.ToArray()];
            if (done)
            {
                break;
            }
        }

        return $"done {done} consumed {consumed} {state()} output {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(output.WrittenSpan))}";
    }
}
